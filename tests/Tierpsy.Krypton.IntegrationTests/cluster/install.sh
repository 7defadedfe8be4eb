#!/bin/bash
# install.sh - Debian 12 packages for a loopback-only Slurm + sshd test cluster. Needs root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# Package scripts must never start services (sshd would take port 22, munge/slurm would start with
# package defaults). Debian's policy-rc.d hook with exit code 101 prevents that.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
apt-get update
apt-get install -y --no-install-recommends \
  munge slurmctld slurmd slurm-client \
  openssh-server openssh-client rsync \
  python3-h5py python3-venv git
if [ "${WITH_ACCOUNTING:-0}" = 1 ]; then
  apt-get install -y --no-install-recommends slurmdbd mariadb-server
fi
