#!/usr/bin/env bash
# Builds the real programs the tests run from their Go modules, at the catalog's versions, into
# .cache/bin (skipped when already built), and puts the modules whose files tests read (the Prometheus
# Operator's CRDs: tools/prometheus-operator/build.sh) into the Go module cache.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
for script in "$root"/images/coredns/build.sh "$root"/tools/*/build.sh; do
  [ -f "$script" ] || continue
  echo "== building $(basename "$(dirname "$script")") (cached in .cache/bin)"
  bash "$script" >/dev/null
done
