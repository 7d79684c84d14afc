# Debian packages for recipes.
# shellcheck shell=bash

# debian_unpacked PACKAGE: a directory holding PACKAGE's files, unpacked (never installed) from the
# .deb of the candidate version, which `apt-get download` fetches into .cache/images/debs once.
debian_unpacked() {
  local pkg=$1 version debs=${out_dir:-$root/.cache/images}/debs dir
  version=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
  if [ -z "$version" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "images: Debian knows no package $pkg here; run: sudo apt-get update" >&2; exit 1; }
    apt-get update -qq >&2
    version=$(apt-cache show --no-all-versions "$pkg" | sed -n 's/^Version: //p' | head -n1)
  fi
  dir="$debs/${pkg}_${version//:/%3a}"
  if [ ! -d "$dir" ]; then
    mkdir -p "$debs"
    local deb
    (cd "$debs" && apt-get download -qq "$pkg=$version" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
    deb=$(ls "$debs/${pkg}_"*"${version#*:}"_*.deb 2>/dev/null | head -n1)
    if [ ! -f "$deb" ] && [ "$(id -u)" -eq 0 ]; then
      # Stale package lists name a version the mirror no longer has: refresh them once.
      apt-get update -qq >&2
      version=$(apt-cache show --no-all-versions "$pkg" | sed -n 's/^Version: //p' | head -n1)
      dir="$debs/${pkg}_${version//:/%3a}"
      (cd "$debs" && apt-get download -qq "$pkg=$version" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)
      deb=$(ls "$debs/${pkg}_"*"${version#*:}"_*.deb 2>/dev/null | head -n1)
    fi
    [ -f "$deb" ] || { echo "images: apt-get download $pkg=$version failed" >&2; exit 1; }
    dpkg-deb -x "$deb" "$dir.tmp" && mv "$dir.tmp" "$dir"
  fi
  echo "$dir"
}

# debian_installed PACKAGE...: fails unless each package is installed on this host
# (tools/setup/system-packages.sh installs the ones the images take from the host).
debian_installed() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      { echo "images: $RECIPE_NAME needs the Debian package $p installed (tools/setup/system-packages.sh)" >&2; exit 1; }
  done
}

# debian_versions PACKAGE...: "pkg=version ..." of installed packages, for image labels.
debian_versions() { dpkg-query -W -f='${Package}=${Version} ' "$@" | sed 's/ $//'; }
