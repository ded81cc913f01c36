#!/usr/bin/env bash
# Idempotent: installs Debian's firefox-esr, the Firefox the console's browser tests drive over
# WebDriver BiDi with puppeteer-core (test/harness/firefox.ts). Nothing is downloaded at test time;
# installs nothing when present.
set -euo pipefail

command -v "${INFLOW_FIREFOX:-firefox-esr}" >/dev/null 2>&1 && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-firefox: firefox-esr missing and no apt-get; install Firefox and set INFLOW_FIREFOX to its path" >&2
  exit 2
fi
bash "$(dirname "$0")/apt-install.sh" setup-firefox firefox-esr
