#!/usr/bin/env bash
# Builds external-dns from its Go module at the catalog's version into .cache/bin/external-dns-<version>;
# skipped when already built. The PowerDNS tests run it with the arguments of the synthesized sidecar.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
module=$("$root/tools/catalog-get.sh" externalDnsModule module)
version=$("$root/tools/catalog-get.sh" externalDnsModule version)
image_version=$("$root/tools/catalog-get.sh" externalDns version)
if [ "$version" != "$image_version" ]; then
  echo "external-dns: the Go module ($version) and the image ($image_version) in constructs/catalog.ts differ; bump both" >&2
  exit 1
fi
out="$root/.cache/bin/external-dns-$version"
if [ -x "$out" ] && [ -z "${FLEETNET_REBUILD:-}" ]; then echo "$out"; exit 0; fi
mkdir -p "$root/.cache/bin"
work=$(mktemp -d "$root/.cache/external-dns-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod CGO_ENABLED=0

src=$(go mod download -json "$module@$version" | sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p')
[ -d "$src" ] || { echo "external-dns: could not download $module@$version" >&2; exit 1; }
go_line=$(grep -E '^go [0-9.]+$' "$src/go.mod")

# A build module around external-dns's own main package (controller.Execute). It exists only so that
# the modules below can be swapped when the Go module proxy refuses the version external-dns requires
# (it does for versions newer than its snapshot). Both belong to a provider and a source we never run
# (Exoscale, OpenShift routes); the fallback is the previous release each, applied only when needed.
fallbacks=(
  "github.com/exoscale/egoscale/v3 v3.1.43"
  "github.com/openshift/api v0.0.0-20251015095338-264e80a2b6e7"
)
{
  echo "module fleetnet.local/external-dns-build"
  echo
  echo "$go_line"
  echo
  echo "require $module $version"
} >"$work/go.mod"
for entry in "${fallbacks[@]}"; do
  read -r dep fallback <<<"$entry"
  required=$(awk -v dep="$dep" '$1 == dep && $2 ~ /^v/ { print $2; exit }' "$src/go.mod")
  [ -n "$required" ] || continue
  if ! go mod download "$dep@$required" >/dev/null 2>&1; then
    echo "external-dns: the module proxy refuses $dep@$required; building with $fallback (unused by the pdns provider)" >&2
    echo "replace $dep => $dep $fallback" >>"$work/go.mod"
  fi
done
cat >"$work/main.go" <<'GO'
package main

import "sigs.k8s.io/external-dns/controller"

func main() { controller.Execute() }
GO
(cd "$work" && go build -trimpath -ldflags "-s -w -X $module/pkg/apis/externaldns.Version=$version" -o "$out.tmp.$$" .)
mv "$out.tmp.$$" "$out"
echo "$out"
