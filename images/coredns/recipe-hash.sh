#!/usr/bin/env bash
# Prints the 12-hex-digit hash of this build's recipe: go.mod, go.sum and every non-test .go file
# (sorted paths and contents). build.sh caches the binary under it, and tag.txt records the hash the
# published image tag was cut from.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
(cd "$here" && { printf '%s\n' go.mod go.sum; find . -name '*.go' ! -name '*_test.go' | LC_ALL=C sort; } \
  | while read -r f; do printf '%s\n' "$f"; cat "$f"; done) | sha256sum | cut -c1-12
