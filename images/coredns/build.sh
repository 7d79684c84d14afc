#!/usr/bin/env bash
# Builds fleetnet's CoreDNS (this folder's Go module) for the tests into
#   .cache/bin/coredns-<hash of go.mod, go.sum and every .go file of the module>
# and links .cache/bin/coredns to it, so a Renovate bump of go.mod, a change of the plugin list or of
# our own plugins' source (plugin/) rebuilds it, and nothing else does.
# The image build (Dockerfile) runs the same `go build` line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
hash=$(bash "$here/recipe-hash.sh")
out="$root/.cache/bin/coredns-$hash"
mkdir -p "$root/.cache/bin"
if [ ! -x "$out" ]; then
  echo "coredns: building $(grep -E '^\s+github.com/coredns/coredns ' "$here/go.mod" | awk '{print $2}')" >&2
  start=$SECONDS
  # -mod=readonly: go.mod and go.sum are the pinned truth; a build never rewrites them.
  (cd "$here" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -buildvcs=false -trimpath -ldflags '-s -w' -o "$out.tmp" .)
  mv "$out.tmp" "$out"
  echo "coredns: built in $((SECONDS - start))s" >&2
fi
ln -sfn "coredns-$hash" "$root/.cache/bin/coredns"
echo "$root/.cache/bin/coredns"
