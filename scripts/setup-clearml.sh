#!/usr/bin/env bash
# Idempotent: creates .venv-clearml with ClearML's pinned Python SDK, which ships the server API's
# request and response JSON schemas (clearml/backend_api/services/v2_*/). scripts/clearml-schemas.py
# reads them to freeze the fixture test/code/clearml-contract.test.ts validates Inflow's requests
# against. A venv of its own: the SDK pins requests, urllib3 and jsonschema for itself.
set -euo pipefail
exec bash "$(dirname "$0")/pinned-venv.sh" .venv-clearml clearml==2.1.12
