#!/usr/bin/env bash
# Idempotent: `pinned-venv.sh DIR PIN...` creates the Python venv DIR with exactly these pinned
# packages, and does nothing when DIR already holds them (a stamp file records the pins installed).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$1
shift
pins="$*"
stamp="$venv/.requirements"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pins" ] && [ -x "$venv/bin/python" ]; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check $pins
echo "$pins" > "$stamp"
