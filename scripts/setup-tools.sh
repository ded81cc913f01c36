#!/usr/bin/env bash
# Idempotent: builds the Go tools the deployment tests run (kustomize, actionlint) into .tools/bin
# from the Go module proxy, at pinned versions. Rebuilds only a tool whose version changed.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/.tools/bin
mkdir -p "$bin"
tools=(
  "kustomize sigs.k8s.io/kustomize/kustomize/v5@v5.8.1"
  "actionlint github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"
)
for entry in "${tools[@]}"; do
  read -r name module <<<"$entry"
  stamp=$bin/.$name.version
  if [ -x "$bin/$name" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$module" ]; then continue; fi
  echo "setup-tools: go install $module" >&2
  GOBIN=$bin GOFLAGS=-mod=mod go install "$module"
  echo "$module" > "$stamp"
done

# The Compose specification's JSON schema, as the reference implementation (compose-go) ships it:
# the compose test validates docker-compose.airflow.yml against it offline.
schema_module=github.com/compose-spec/compose-go/v2@v2.16.2
schema_stamp=$bin/.compose-spec.version
if [ ! -f "$PWD/.tools/compose-spec.json" ] || [ "$(cat "$schema_stamp" 2>/dev/null)" != "$schema_module" ]; then
  echo "setup-tools: go mod download $schema_module" >&2
  dir=$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "$schema_module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  cp "$dir/schema/compose-spec.json" "$PWD/.tools/compose-spec.json"
  chmod 644 "$PWD/.tools/compose-spec.json"
  echo "$schema_module" > "$schema_stamp"
fi
