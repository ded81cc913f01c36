#!/usr/bin/env bash
# Idempotent: installs Debian's podman with the runc runtime and debootstrap, which the image test
# (test/integration/images-podman.test.ts) uses to build the base image locally and both targets of
# images/Dockerfile. Installs nothing when all three are present.
set -euo pipefail

missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-podman: ${missing[*]} missing and no apt-get; install them (the image test is skipped without them)" >&2
  exit 0
fi
bash "$(dirname "$0")/apt-install.sh" setup-podman "${missing[@]}"
