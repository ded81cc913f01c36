#!/usr/bin/env bash
# Idempotent: a venv with moto's standalone server, the S3-compatible server the S3 tests start on
# loopback (test/harness/s3-server.ts). Kept apart from .venv so its boto3/botocore pins never meet
# the Python peers'. In .tools/, which git and Biome ignore.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.tools/moto-venv
requirements=("moto[s3]==5.2.5" "flask==3.1.3" "flask-cors==6.0.5")
stamp=$venv/.requirements.sha256
want=$(printf '%s\n' "${requirements[@]}" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
mkdir -p .tools
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "${requirements[@]}"
echo "$want" > "$stamp"
