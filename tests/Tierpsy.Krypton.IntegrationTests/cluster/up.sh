#!/bin/bash
# up.sh - start a one-node Slurm cluster (+ optional MariaDB/slurmdbd for sacct) and a private sshd.
# Everything is configured for loopback only. Needs root. Wipes the run folder first.
set -euo pipefail
R=${KRYPTON_TEST_CLUSTER:-/tmp/krypton-test-cluster}
WITH_ACCOUNTING=${WITH_ACCOUNTING:-0}   # 1: also start MariaDB + slurmdbd so that sacct works
NODE_CPUS=${KRYPTON_TEST_CPUS:-4}       # may exceed the real core count (config_overrides)
SSH_PORT=${KRYPTON_TEST_SSH_PORT:-2222}
TEST_USER=${KRYPTON_TEST_USER:-}        # optional unprivileged login user
case "$R" in /*/*) ;; *) echo "[up] refusing run folder '$R'" >&2; exit 1;; esac
if [ -e /etc/slurm/slurm.conf ] && [ ! -L /etc/slurm/slurm.conf ]; then
  echo "[up] /etc/slurm/slurm.conf is a real file: this machine has its own Slurm, stopping" >&2; exit 1
fi
export SLURM_CONF=$R/etc/slurm.conf
ts() { date +%s.%N; }
T_START=$(ts)
lap() { echo "[up] $1 ready after $(awk "BEGIN{printf \"%.2f\", $(ts)-$T_START}")s"; }
wait_for() { # $1=description $2=timeout in s, rest=command
  local desc=$1 to=$2; shift 2
  local end=$(( $(date +%s) + to ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$end" ]; then echo "[up] TIMEOUT waiting for $desc" >&2; return 1; fi
    sleep 0.1
  done
  lap "$desc"
}
rm -rf "$R"; mkdir -p "$R"/{etc,slurm/state,slurm/spool,log,ssh,mysql,jobs}
chmod 755 "$R" "$R/log"

# ---------- munge ----------
[ -s /etc/munge/munge.key ] || { mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
runuser -u munge -- /usr/sbin/munged          # daemonizes; PID in /run/munge/munged.pid
wait_for munged 10 bash -c 'munge -n | unmunge'

# ---------- MariaDB + slurmdbd (only needed for sacct) ----------
if [ "$WITH_ACCOUNTING" = 1 ]; then
  chown mysql:mysql "$R/mysql"; mkdir -p /run/mysqld; chown mysql:mysql /run/mysqld
  mariadb-install-db --user=mysql --datadir="$R/mysql" --auth-root-authentication-method=socket \
    --skip-test-db > "$R/log/mariadb-install.log" 2>&1
  setsid mariadbd --user=mysql --datadir="$R/mysql" --socket=/run/mysqld/mysqld.sock \
    --pid-file="$R/mysql/mariadb.pid" --skip-networking --log-error="$R/mysql/mariadb.err" \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=8M </dev/null >/dev/null 2>&1 &
  wait_for mariadb 30 mariadb-admin --socket=/run/mysqld/mysqld.sock ping
  mariadb -e "CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'slurmpw';
              GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost'; FLUSH PRIVILEGES;"
  cat > "$R/etc/slurmdbd.conf" <<CONF
AuthType=auth/munge
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=6819
SlurmUser=root
DebugLevel=info
LogFile=$R/log/slurmdbd.log
PidFile=$R/slurm/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=slurmpw
StorageLoc=slurm_acct_db
CONF
  chmod 600 "$R/etc/slurmdbd.conf"
  /usr/sbin/slurmdbd                             # reads slurmdbd.conf next to $SLURM_CONF
  wait_for slurmdbd 30 bash -c 'exec 3<>/dev/tcp/127.0.0.1/6819'
  ACCT="AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=6819
JobAcctGatherType=jobacct_gather/linux"
else
  ACCT="AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none"
fi

# ---------- slurmctld + slurmd ----------
cat > "$SLURM_CONF" <<CONF
ClusterName=ci
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$R/slurm/state
SlurmdSpoolDir=$R/slurm/spool
SlurmctldPidFile=$R/slurm/slurmctld.pid
SlurmdPidFile=$R/slurm/slurmd.pid
SlurmctldLogFile=$R/log/slurmctld.log
SlurmdLogFile=$R/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
$ACCT
JobCompType=jobcomp/filetxt
JobCompLoc=$R/log/jobcomp.txt
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
ReturnToService=2
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$NODE_CPUS RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
# Safety net for any client that misses SLURM_CONF (it would otherwise try a DNS SRV lookup).
mkdir -p /etc/slurm && ln -sfn "$SLURM_CONF" /etc/slurm/slurm.conf
/usr/sbin/slurmctld                              # daemonizes
/usr/sbin/slurmd -N localhost                    # daemonizes; node name independent of hostname
wait_for slurmctld 30 bash -c 'scontrol ping | grep -q "is UP"'
wait_for "slurmd/node idle" 30 bash -c '[ "$(sinfo -h -n localhost -o %t)" = idle ]'

# ---------- sshd on 127.0.0.1:$SSH_PORT ----------
mkdir -p /run/sshd && chmod 755 /run/sshd
S=$R/ssh
ssh-keygen -q -t ed25519 -N '' -f "$S/hostkey_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$S/client_ed25519" -C test-ed25519
ssh-keygen -q -t rsa -b 3072 -N '' -f "$S/client_rsa" -C test-rsa
cat "$S/client_ed25519.pub" "$S/client_rsa.pub" > "$S/authorized_keys"; chmod 600 "$S/authorized_keys"
if [ -n "$TEST_USER" ]; then                     # jobs then run as that user, as on a real cluster
  id "$TEST_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$TEST_USER"
  usermod -p '*' "$TEST_USER"                    # useradd leaves the account locked ('!')
  cp "$S/authorized_keys" "$S/authorized_keys.$TEST_USER"; chmod 644 "$S/authorized_keys.$TEST_USER"
  chmod 755 "$S"
fi
# A folder only login shells have on their PATH, as a site's scheduler often is (OpenPBS installs
# /etc/profile.d/pbs.sh): the product must run every command in the login shell's environment. down.sh removes it.
mkdir -p "$R/login-bin"
cat > /etc/profile.d/krypton-test-cluster.sh <<PROFILE
# Written by the KryptonTemplates test cluster (tests/Tierpsy.Krypton.IntegrationTests/cluster/up.sh).
if [ -d "$R/login-bin" ]; then PATH="\$PATH:$R/login-bin"; fi
# A login node whose start-up files take seconds (conda init, module loads), for connections from 127.0.0.2 only.
case "\${SSH_CLIENT:-}" in 127.0.0.2\ *) sleep 7 ;; esac
PROFILE
cat > "$S/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $S/hostkey_ed25519
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys $S/authorized_keys.%u
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
SetEnv SLURM_CONF=$SLURM_CONF
CONF
/usr/sbin/sshd -t -f "$S/sshd_config"
/usr/sbin/sshd -f "$S/sshd_config" -E "$R/log/sshd.log"
wait_for sshd 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SSH_PORT"
echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$S/hostkey_ed25519.pub")" > "$S/known_hosts"
ssh -p "$SSH_PORT" -i "$S/client_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o UserKnownHostsFile="$S/known_hosts" -o StrictHostKeyChecking=yes root@127.0.0.1 \
    'sinfo -h -o "%P %a %D %t"' </dev/null
lap "all"
