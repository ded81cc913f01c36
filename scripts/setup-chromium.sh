#!/usr/bin/env bash
# Idempotent: installs Debian's chromium, the browser playwright-core drives in the console tests
# (test/harness/browser.ts). Nothing is downloaded at test time; installs nothing when present.
set -euo pipefail

command -v chromium >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-chromium: chromium missing and no apt-get; install Chromium and set INFLOW_CHROMIUM to its path" >&2
  exit 2
fi
bash "$(dirname "$0")/apt-install.sh" setup-chromium chromium
