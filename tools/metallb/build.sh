#!/usr/bin/env bash
# Builds the MetalLB controller and speaker from their Go module at the catalog's version into
# .cache/bin/metallb-controller-<version> and .cache/bin/metallb-speaker-<version>; each is skipped
# when already built. The MetalLB tests run them against a real API server, under the RBAC of the
# synthesized ServiceAccounts. Prints the path of each binary, one a line (controller first).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
module=$("$root/tools/catalog-get.sh" metallb module)
version=$("$root/tools/catalog-get.sh" metallb version)
for image in metallbController metallbSpeaker; do
  image_version=$("$root/tools/catalog-get.sh" "$image" version)
  if [ "$version" != "$image_version" ]; then
    echo "metallb: the Go module ($version) and the $image image ($image_version) in constructs/catalog.ts differ; bump both" >&2
    exit 1
  fi
done
mkdir -p "$root/.cache/bin"
gobin=$(mktemp -d "$root/.cache/metallb-build.XXXXXX")
trap 'rm -rf "$gobin"' EXIT
for component in controller speaker; do
  out="$root/.cache/bin/metallb-$component-$version"
  if [ ! -x "$out" ] || [ -n "${FLEETNET_REBUILD:-}" ]; then
    GOBIN="$gobin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install -ldflags "-s -w" "$module/$component@$version"
    mv "$gobin/$component" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
  fi
  echo "$out"
done
