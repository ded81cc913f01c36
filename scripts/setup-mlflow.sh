#!/usr/bin/env bash
# Idempotent: creates .venv-mlflow with a pinned MLflow tracking server and its Python client, used by
# the MLflow integration tests (test/harness/mlflow-server.ts). A venv of its own, because MLflow pins
# many libraries (pandas, scikit-learn, numpy) that would conflict with the peers in .venv.
set -euo pipefail
exec bash "$(dirname "$0")/pinned-venv.sh" .venv-mlflow mlflow==3.17.2
