#!/usr/bin/env bash
# Builds the node and controller programs of a real cluster for the lab (lab/), from k8s.io/kubernetes at
# the catalog's kubernetes version (constructs/catalog.ts), into .cache/bin/<program>-<version>:
#   kubelet, kube-controller-manager, kube-scheduler, kube-proxy
# The same wrapper module as kube-apiserver's (tools/lib/go-module.sh: k8s.io/kubernetes carries replace
# directives, so `go install module@version` is refused). All four are built in one `go build` call; they
# share the Go build cache with kube-apiserver (about 80 s more on 2 cores after it).
# Skipped when all four are present. Prints each path, one a line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
go_build_tag=node
# shellcheck source=../lib/go-module.sh
source "$root/tools/lib/go-module.sh"
programs=(kubelet kube-controller-manager kube-scheduler kube-proxy)
module=$("$root/tools/catalog-get.sh" kubernetes module)
version=$("$root/tools/catalog-get.sh" kubernetes version)
bin="$go_cache/bin"

missing=0
for p in "${programs[@]}"; do [ -x "$bin/$p-$version" ] && [ -z "${FLEETNET_REBUILD:-}" ] || missing=1; done
if [ "$missing" = 1 ]; then
  src=$(go_module_dir "$module" "$version")
  work="$go_cache/build/kubernetes-node-$version"
  kubernetes_wrapper_mod "$work" "$src" "$version" "the node programs of $module"
  # Reuse the go.sum kube-apiserver's wrapper already resolved (same requirements): no second resolve.
  [ -f "$work/go.sum" ] || cp "$go_cache/build/kube-apiserver-$version/go.sum" "$work/go.sum" 2>/dev/null || true
  out="$work/out"
  rm -rf "$out" && mkdir -p "$out"
  pkgs=()
  for p in "${programs[@]}"; do pkgs+=("$module/cmd/$p"); done
  timed_go_build "${programs[*]} $version" "$work" -ldflags "$(kubernetes_ldflags "$version")" -o "$out/" "${pkgs[@]}"
  for p in "${programs[@]}"; do mv "$out/$p" "$bin/$p-$version"; done
fi
for p in "${programs[@]}"; do echo "$bin/$p-$version"; done
