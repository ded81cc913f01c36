#!/usr/bin/env bash
# Idempotent: creates .venv-clearml with ClearML's pinned Python SDK, which ships the server API's
# request and response JSON schemas (clearml/backend_api/services/v2_*/). scripts/clearml-schemas.py
# reads them to freeze the fixture test/code/clearml-contract.test.ts validates Inflow's requests
# against. A venv of its own: the SDK pins requests, urllib3 and jsonschema for itself.
set -euo pipefail
cd "$(dirname "$0")/.."
pins="clearml==2.1.12"
stamp=.venv-clearml/.requirements
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pins" ] && [ -x .venv-clearml/bin/python ]; then exit 0; fi
python3 -m venv .venv-clearml
.venv-clearml/bin/pip install --quiet --disable-pip-version-check $pins
echo "$pins" > "$stamp"
