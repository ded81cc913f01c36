#!/usr/bin/env bash
# npm run bench:tickets: the tickets benchmark against the seed's scikit-learn pipeline (bench/tickets.ts).
# Sets up what it needs, idempotently: the Python peers' venv and GNU time (per-step wall time and peak RSS).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q time >/dev/null; else sudo apt-get install -y -q time >/dev/null; fi
fi
exec node --import tsx bench/tickets.ts "$@"
