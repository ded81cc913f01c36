#!/usr/bin/env bash
# Idempotent: installs Debian's chromium, the browser playwright-core drives in the console tests
# (test/harness/browser.ts). Nothing is downloaded at test time; installs nothing when present.
set -euo pipefail

command -v chromium >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-chromium: chromium missing and no apt-get; install Chromium and set INFLOW_CHROMIUM to its path" >&2
  exit 2
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "setup-chromium: installing chromium" >&2
# Other setup steps may hold the dpkg lock: wait for it rather than fail.
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium >/dev/null
