#!/usr/bin/env bash
# Idempotent: creates .venv with the Python peers the tests and benchmarks compare against.
set -euo pipefail
cd "$(dirname "$0")/.."
req=scripts/python-requirements.txt
stamp=.venv/.requirements.sha256
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
