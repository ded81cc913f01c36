#!/usr/bin/env bash
# Idempotent: installs Debian's Prometheus, Alertmanager and Pushgateway (with promtool and amtool),
# which the monitoring tests run as real processes. Installs nothing when all binaries are present.
# The packages' system services are never started: tests start their own processes on loopback.
set -euo pipefail

needed=(promtool prometheus amtool prometheus-alertmanager prometheus-pushgateway)
missing=()
for binary in "${needed[@]}"; do
  command -v "$binary" >/dev/null 2>&1 || missing+=("$binary")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-monitoring: missing ${missing[*]} and no apt-get; install Prometheus, Alertmanager and Pushgateway" >&2
  exit 2
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

# Debian starts a package's service on install unless policy-rc.d says no (exit 101).
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  trap '"${sudo[@]}" rm -f "$policy"' EXIT
fi

echo "setup-monitoring: installing prometheus, prometheus-alertmanager, prometheus-pushgateway" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
  prometheus prometheus-alertmanager prometheus-pushgateway >/dev/null
