#!/usr/bin/env bash
# Idempotent: creates .venv-mlflow with a pinned MLflow tracking server and its Python client, used by
# the MLflow integration tests (test/harness/mlflow-server.ts). A venv of its own, because MLflow pins
# many libraries (pandas, scikit-learn, numpy) that would conflict with the peers in .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
pins="mlflow==3.17.2"
stamp=.venv-mlflow/.requirements
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pins" ] && [ -x .venv-mlflow/bin/mlflow ]; then exit 0; fi
python3 -m venv .venv-mlflow
.venv-mlflow/bin/pip install --quiet --disable-pip-version-check $pins
echo "$pins" > "$stamp"
