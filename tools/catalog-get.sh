#!/usr/bin/env bash
# Prints one field of a catalog entry, for shell scripts that build tools:
#   tools/catalog-get.sh kubernetes version   -> v1.36.3
#   tools/catalog-get.sh kubernetes module    -> k8s.io/kubernetes
# Entries in constructs/catalog.ts are one line each: `  key: { module: '...', version: '...' },`
set -euo pipefail
key=$1 field=${2:-version}
here=$(cd "$(dirname "$0")/.." && pwd)
line=$(grep -E "^\s+${key}: \{" "$here/constructs/catalog.ts" || true)
[ -n "$line" ] || { echo "catalog-get: no entry '$key' in constructs/catalog.ts" >&2; exit 1; }
value=$(sed -nE "s/.*\b${field}: '([^']+)'.*/\1/p" <<<"$line")
[ -n "$value" ] || { echo "catalog-get: entry '$key' has no field '$field'" >&2; exit 1; }
echo "$value"
