#!/usr/bin/env bash
# Installs Renovate (tools/renovate, its own lockfile) for the offline config and extraction tests.
set -euo pipefail
dir=$(cd "$(dirname "$0")/../renovate" && pwd)
stamp="$dir/node_modules/.fleetnet-lock"
if [ -f "$stamp" ] && cmp -s "$stamp" "$dir/package-lock.json"; then exit 0; fi
echo "== installing Renovate into tools/renovate"
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
cp "$dir/package-lock.json" "$stamp"
