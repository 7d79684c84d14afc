#!/usr/bin/env bash
# Builds kube-router from its Go module at the catalog's version into .cache/bin/kube-router-<version>
# (skipped when already built). Only the lab runs it, with its firewall alone, as the NetworkPolicy
# enforcer of test/lab/network-policy.test.ts; nothing in charts-out ships it. Prints the binary's path.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
module=$("$root/tools/catalog-get.sh" kubeRouter module)
version=$("$root/tools/catalog-get.sh" kubeRouter version)
out="$root/.cache/bin/kube-router-$version"
if [ ! -x "$out" ] || [ -n "${FLEETNET_REBUILD:-}" ]; then
  mkdir -p "$root/.cache/bin"
  gobin=$(mktemp -d "$root/.cache/kube-router-build.XXXXXX")
  trap 'rm -rf "$gobin"' EXIT
  GOBIN="$gobin" GOFLAGS=-mod=mod CGO_ENABLED=0 nice -n 10 go install \
    -ldflags "-s -w -X $module/pkg/version.Version=$version" "$module/cmd/kube-router@$version"
  mv "$gobin/kube-router" "$out.tmp.$$" && mv "$out.tmp.$$" "$out"
fi
echo "$out"
