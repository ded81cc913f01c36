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
