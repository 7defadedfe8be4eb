#!/bin/bash
# down.sh - stop what up.sh started, by PID file only, in reverse start order.
R=${KRYPTON_TEST_CLUSTER:-/tmp/krypton-test-cluster}
alive() { [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }  # zombie = stopped
stop() { # $1=name $2=pid file
  [ -s "$2" ] || return 0
  local p; p=$(cat "$2"); alive "$p" || return 0
  kill -TERM "$p"
  for _ in $(seq 1 150); do alive "$p" || { echo "[down] stopped $1 ($p)"; return 0; }; sleep 0.1; done
  echo "[down] $1 ($p) still running after 15 s, sending KILL"; kill -KILL "$p" 2>/dev/null || true
}
stop sshd      "$R/ssh/sshd.pid"
stop slurmd    "$R/slurm/slurmd.pid"
stop slurmctld "$R/slurm/slurmctld.pid"
stop slurmdbd  "$R/slurm/slurmdbd.pid"
stop mariadbd  "$R/mysql/mariadb.pid"
stop munged    /run/munge/munged.pid
rm -f /etc/profile.d/krypton-test-cluster.sh
