#!/usr/bin/env bash
# Builds images/pause (standard library only, static) into .cache/bin/pause-<tag>-<hash of main.go>
# and prints its path; skipped when built. tools/images/recipes/pause.sh puts it in the image.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tag=$("$root/tools/catalog-get.sh" pause version)
out="$root/.cache/bin/pause-$tag-$(sha256sum "$here/main.go" | cut -c1-12)"
if [ ! -x "$out" ]; then
  mkdir -p "$root/.cache/bin"
  (cd "$here" && CGO_ENABLED=0 GO111MODULE=off go build -trimpath -ldflags "-s -w -X main.version=$tag" -o "$out.tmp" main.go)
  mv "$out.tmp" "$out"
fi
echo "$out"
