#!/usr/bin/env bash
# npm run bench:tickets: the tickets benchmark against the seed's scikit-learn pipeline (bench/tickets.ts).
# Sets up what it needs, idempotently: the Python peers' venv and GNU time (per-step wall time and peak
# RSS). The CLI is compiled into a private folder first, so a rebuild of dist/ by someone else during
# the run cannot swap the code being measured.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q time >/dev/null; else sudo apt-get install -y -q time >/dev/null; fi
fi
build=node_modules/.cache/inflow-bench-tickets
rm -rf "$build"
# Type errors elsewhere in a shared checkout do not stop tsc from emitting JavaScript; a missing CLI does.
npx tsc -p tsconfig.build.json --outDir "$build" || echo "bench:tickets: tsc reported errors (see above); measuring the emitted JavaScript" >&2
test -f "$build/tasks/cli.js"
# Under node_modules/ Node looks no further up for package.json, so the copy says it is ESM itself.
echo '{"type": "module"}' > "$build/package.json"
exec node --import tsx bench/tickets.ts --cli "$build/tasks/cli.js" "$@"
