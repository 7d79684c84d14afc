#!/usr/bin/env bash
# Puts the Prometheus Operator's Go module, at the catalog's version, into the Go module cache (checksum
# verified against the checksum database) and prints its directory. Nothing is built: the monitor test
# reads the ServiceMonitor and PodMonitor CRDs from example/prometheus-operator-crd/ of the module at run
# time, with the module proxy off. Skipped (no network) when the version is already cached.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
module=$("$root/tools/catalog-get.sh" prometheusOperator module)
version=$("$root/tools/catalog-get.sh" prometheusOperator version)
dir=$(GOPROXY=off GOFLAGS=-mod=mod go mod download -json "$module@$version" 2>/dev/null | sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p' || true)
if [ -z "$dir" ]; then
  dir=$(GOFLAGS=-mod=mod go mod download -json "$module@$version" | sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p')
fi
for crd in servicemonitors podmonitors; do
  [ -f "$dir/example/prometheus-operator-crd/monitoring.coreos.com_$crd.yaml" ] || { echo "$module@$version has no example/prometheus-operator-crd/monitoring.coreos.com_$crd.yaml" >&2; exit 1; }
done
echo "$dir"
