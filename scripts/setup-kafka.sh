#!/usr/bin/env bash
# Idempotent: the Apache Kafka broker (KRaft) the stream tests and demo start on loopback
# (test/harness/kafka.ts), fetched from Maven Central by `mvn dependency:copy-dependencies` on
# scripts/kafka/pom.xml into .tools/kafka-<version>/libs. Java 17 runs it; no tarball, no ZooKeeper.
set -euo pipefail
cd "$(dirname "$0")/.."
pom=scripts/kafka/pom.xml
version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")
dest=.tools/kafka-$version
stamp=$dest/.pom.sha256
want=$(sha256sum "$pom" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
if ! command -v mvn >/dev/null; then
  echo "setup-kafka: installing maven" >&2
  apt-get update -qq && apt-get install -y -qq maven >/dev/null
fi
echo "setup-kafka: fetching org.apache.kafka:kafka_2.13:$version and its runtime jars" >&2
mkdir -p .tools
staging=$(mktemp -d .tools/kafka-staging.XXXXXX)
# Java reads the system CA bundle (ca-certificates-java) so a TLS-inspecting proxy is trusted like curl trusts it.
truststore=()
if [ -f /etc/ssl/certs/java/cacerts ]; then truststore=(-Djavax.net.ssl.trustStore=/etc/ssl/certs/java/cacerts); fi
mvn -q -B -f "$pom" "${truststore[@]}" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$PWD/$staging/libs"
echo "$want" > "$staging/.pom.sha256"
rm -rf "$dest"
mv "$staging" "$dest"
