#!/usr/bin/env bash
# The whole test suite: type-check, lint, build (CLI tests run the built `inflow`), then node's test runner.
# Python peers (scikit-learn, pyarrow) live in a project-local venv made by scripts/setup-python.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
bash scripts/setup-monitoring.sh
bash scripts/setup-mlflow.sh
bash scripts/setup-s3.sh
bash scripts/setup-airflow.sh
bash scripts/setup-tools.sh
bash scripts/setup-chromium.sh
npm run --silent typecheck
npm run --silent lint
npm run --silent build
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=2 --test-reporter=spec "${files[@]}"
