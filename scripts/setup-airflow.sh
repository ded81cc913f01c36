#!/usr/bin/env bash
# Idempotent: creates .venv-airflow with Airflow 3 and the cncf-kubernetes provider, which the DAG tests
# import (DagBag) and run (`airflow dags test`). Airflow's constraints files live outside the package
# registries this project can reach, so the versions that matter are pinned here instead.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-airflow
pins=(
  apache-airflow==3.3.2
  apache-airflow-providers-cncf-kubernetes==10.25.0
  apache-airflow-providers-standard==1.21.0
)
want=$(printf '%s\n' "${pins[@]}" | sha256sum | cut -d' ' -f1)
stamp=$venv/.pins.sha256
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
echo "$want" > "$stamp"
