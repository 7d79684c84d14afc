# Catalog and Go module lookups for recipes.
# shellcheck shell=bash

# catalog_ref KEY: repository:tag of an image entry of constructs/catalog.ts.
catalog_ref() { echo "$("$root/tools/catalog-get.sh" "$1" image):$("$root/tools/catalog-get.sh" "$1" version)"; }
catalog_version() { "$root/tools/catalog-get.sh" "$1" version; }

# module_dir KEY: the Go module cache directory of a goModules entry (downloaded if needed).
module_dir() {
  local module version dir
  module=$("$root/tools/catalog-get.sh" "$1" module)
  version=$("$root/tools/catalog-get.sh" "$1" version)
  dir=$(go mod download -json "$module@$version" | sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p')
  [ -d "$dir" ] || { echo "images: could not download $module@$version from the Go module proxy" >&2; exit 1; }
  echo "$dir"
}
