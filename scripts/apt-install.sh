#!/usr/bin/env bash
# Installs Debian packages for a setup script: `bash scripts/apt-install.sh CALLER PACKAGE...`.
# As root or through sudo; other setup steps may hold the dpkg lock, so it waits rather than fails.
set -euo pipefail
caller=$1
shift
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "$caller: installing $*" >&2
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
