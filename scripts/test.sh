#!/usr/bin/env bash
# The test suite in tiers (README "Tests"):
#   bash scripts/test.sh        the whole suite: installs what it needs, type-check, lint, build, every tier,
#                               and the frozen Python reference answers checked against Python itself;
#   bash scripts/test.sh unit   test/code and test/data only: no Python, no tools, no servers, no network.
set -euo pipefail
cd "$(dirname "$0")/.."
tier=${1:-all}
case "$tier" in
unit)
  npm run --silent build
  mapfile -t files < <(find test/code test/data -name '*.test.ts' | sort)
  ;;
all)
  bash scripts/setup-python.sh
  bash scripts/setup-monitoring.sh
  bash scripts/setup-mlflow.sh
  bash scripts/setup-clearml.sh
  bash scripts/setup-s3.sh
  bash scripts/setup-airflow.sh
  bash scripts/setup-tools.sh
  bash scripts/setup-kafka.sh
  bash scripts/setup-chromium.sh
  bash scripts/setup-firefox.sh
  bash scripts/setup-podman.sh
  npm run --silent typecheck
  npm run --silent lint
  npm run --silent build
  export INFLOW_REFERENCE=verify
  mapfile -t files < <(find test -name '*.test.ts' | sort)
  ;;
*)
  echo "usage: scripts/test.sh [unit]" >&2
  exit 2
  ;;
esac
exec node --import tsx --test --test-concurrency=2 --test-reporter=spec "${files[@]}"
