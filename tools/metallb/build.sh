#!/usr/bin/env bash
# Builds the MetalLB controller from its Go module at the catalog's version into
# .cache/bin/metallb-controller-<version>; skipped when already built. The MetalLB tests run it
# against a real API server, under the RBAC of the synthesized controller ServiceAccount.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
module=$("$root/tools/catalog-get.sh" metallb module)
version=$("$root/tools/catalog-get.sh" metallb version)
image_version=$("$root/tools/catalog-get.sh" metallbController version)
if [ "$version" != "$image_version" ]; then
  echo "metallb: the Go module ($version) and the controller image ($image_version) in constructs/catalog.ts differ; bump both" >&2
  exit 1
fi
out="$root/.cache/bin/metallb-controller-$version"
if [ -x "$out" ]; then echo "$out"; exit 0; fi
mkdir -p "$root/.cache/bin"
gobin=$(mktemp -d "$root/.cache/metallb-build.XXXXXX")
trap 'rm -rf "$gobin"' EXIT
GOBIN="$gobin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install -ldflags "-s -w" "$module/controller@$version"
mv "$gobin/controller" "$out.tmp" && mv "$out.tmp" "$out"
echo "$out"
