#!/usr/bin/env bash
# Builds cnitool (the CNI project's reference runner of network configurations) from its Go module
# at the catalog's version into .cache/bin/cnitool-<version>; skipped when already built.
# The CNI tests run it against the Debian reference plugins in /usr/lib/cni.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
module=$("$root/tools/catalog-get.sh" cni module)
version=$("$root/tools/catalog-get.sh" cni version)
out="$root/.cache/bin/cnitool-$version"
if [ -x "$out" ] && [ -z "${FLEETNET_REBUILD:-}" ]; then echo "$out"; exit 0; fi
mkdir -p "$root/.cache/bin"
gobin=$(mktemp -d "$root/.cache/cnitool-build.XXXXXX")
trap 'rm -rf "$gobin"' EXIT
GOBIN="$gobin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install "$module/cnitool@$version"
mv "$gobin/cnitool" "$out.tmp" && mv "$out.tmp" "$out"
echo "$out"
