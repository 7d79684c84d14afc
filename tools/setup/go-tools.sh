#!/usr/bin/env bash
# Builds the real programs the tests run from their Go modules, at the catalog's versions, into
# .cache/bin, and puts the modules whose files tests read (the Prometheus Operator's CRDs:
# tools/prometheus-operator/build.sh) into the Go module cache.
#
# A build is cached by its version (in the binary's name) and by the hash of its recipe: every file of
# its tools/<name>/ folder and the shared tools/lib/. When the recipe changed since the last build,
# the script runs with FLEETNET_REBUILD=1, which makes it build again even though a binary of that
# version exists. images/coredns/build.sh and tools/images/build.sh hash their own inputs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
stamps="$root/.cache/recipes"
mkdir -p "$stamps"

recipe_hash() {
  find "$1" "$root/tools/lib" -type f ! -path '*/node_modules/*' -print0 | LC_ALL=C sort -z |
    xargs -0 sha256sum | sed "s|$root/||" | sha256sum | cut -c1-16
}

for script in "$root"/images/coredns/build.sh "$root"/tools/*/build.sh; do
  [ -f "$script" ] || continue
  dir=$(dirname "$script")
  name=$(basename "$dir")
  hash=$(recipe_hash "$dir")
  stamp="$stamps/$name"
  echo "== building $name (cached in .cache/bin, recipe $hash)"
  if [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
    bash "$script" >/dev/null
  else
    FLEETNET_REBUILD=1 bash "$script" >/dev/null
    echo "$hash" >"$stamp"
  fi
done
