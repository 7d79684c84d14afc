#!/usr/bin/env bash
# `npm test`: installs what the tests need that is missing (Debian packages, Renovate, the Go builds
# of the real programs, cached in .cache/), type-checks, then runs every test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash tools/setup/system-packages.sh
bash tools/setup/renovate.sh
bash tools/setup/go-tools.sh

echo "== type check"
npx tsc --noEmit -p tsconfig.json
echo "== tests"
npx vitest run "$@"
