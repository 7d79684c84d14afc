#!/usr/bin/env bash
# Builds the lab's container runtime from its Go module at the catalog's version (constructs/catalog.ts,
# entry `containerd`) into .cache/bin/<program>-<version>:
#   containerd, containerd-shim-runc-v2, ctr
# runc itself comes from Debian (tools/setup/system-packages.sh). Plain `go install` works for this module
# (no replace directives); CGO off builds static binaries (no btrfs snapshotter, which the lab does not use).
# Skipped when all three are present. Prints each path, one a line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
module=$("$root/tools/catalog-get.sh" containerd module)
version=$("$root/tools/catalog-get.sh" containerd version)
programs=(containerd containerd-shim-runc-v2 ctr)
bin="$root/.cache/bin"
mkdir -p "$bin"
missing=()
for p in "${programs[@]}"; do [ -x "$bin/$p-$version" ] && [ -z "${FLEETNET_REBUILD:-}" ] || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  gobin=$(mktemp -d "$root/.cache/containerd-build.XXXXXX")
  trap 'rm -rf "$gobin"' EXIT
  echo "containerd: building ${missing[*]} $version" >&2
  start=$SECONDS
  pkgs=()
  for p in "${missing[@]}"; do pkgs+=("$module/cmd/$p@$version"); done
  GOBIN="$gobin" GOFLAGS=-mod=mod CGO_ENABLED=0 go install -trimpath \
    -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=$version" "${pkgs[@]}"
  for p in "${missing[@]}"; do mv "$gobin/$p" "$bin/$p-$version.tmp" && mv "$bin/$p-$version.tmp" "$bin/$p-$version"; done
  echo "containerd: built in $((SECONDS - start))s" >&2
fi
for p in "${programs[@]}"; do echo "$bin/$p-$version"; done
