# The words an image recipe (tools/images/recipes/*.sh) is written in. build.sh sources a recipe
# twice, in a subshell each time:
#   RECIPE_MODE=plan   every word appends one line to $RECIPE_PLAN naming what it would put where,
#                      with the identity of its source (path, size, mtime); the hash of the plan is
#                      the image's cache key, so any change of a recipe or an input rebuilds it;
#   RECIPE_MODE=stage  every word does it, into one staging tree per layer under $RECIPE_STAGE,
#                      and the layer's owners and file capabilities are collected for imagetar.
# Paths inside the image are absolute; owners are numeric uid:gid; everything else is 0:0.
# shellcheck shell=bash

_layer=-1
declare -ga _layer_comments=() _layer_owners=() _layer_caps=()
_ref='' _config=''

_plan() { printf '%s\n' "$*" >>"$RECIPE_PLAN"; }
# _dest PATH: sets $d to PATH's place in the current layer's staging tree.
_dest() {
  [ "$_layer" -ge 0 ] || { echo "images: $RECIPE_NAME: '$1' before the first 'layer'" >&2; exit 1; }
  case $1 in /*) ;; *) echo "images: $RECIPE_NAME: image path '$1' is not absolute" >&2; exit 1 ;; esac
  d="$RECIPE_STAGE/layer$_layer$1"
}
_parent() { [ -d "${1%/*}" ] || mkdir -p "${1%/*}"; }
_json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

# image REF: the reference the tarball carries (exactly as the manifests name it).
image() { _ref=$1; _plan "image $1"; }

# layer COMMENT: starts the next layer (its history entry says COMMENT).
layer() {
  _layer=$((_layer + 1))
  _layer_comments[$_layer]=$1 _layer_owners[$_layer]='' _layer_caps[$_layer]=''
  _plan "layer $1"
  if [ "$RECIPE_MODE" = stage ]; then mkdir -p "$RECIPE_STAGE/layer$_layer"; fi
}

# dir PATH [MODE]: a directory (parents 0755).
dir() {
  local d; _dest "$1"; _plan "dir $1 ${2:-0755}"
  if [ "$RECIPE_MODE" = stage ]; then mkdir -p "$d" && chmod "${2:-0755}" "$d"; fi
}

# put SRC PATH [MODE]: a file copied from SRC (symlinks followed); MODE defaults to SRC's.
put() {
  local src=$1 d mode id; _dest "$2"
  [ -f "$src" ] || { echo "images: $RECIPE_NAME: input $src is missing" >&2; exit 1; }
  id=$(stat -L -c '%s %Y %a' "$src")
  mode=${3:-${id##* }}
  _plan "put $2 $mode $src ${id% *}"
  if [ "$RECIPE_MODE" = stage ]; then
    _parent "$d" && cp -L "$src" "$d" && chmod "$mode" "$d"
  fi
}

# tree SRC PATH: a directory tree copied from SRC (modes kept, symlinks kept).
tree() {
  local src=$1 d; _dest "$2"
  [ -d "$src" ] || { echo "images: $RECIPE_NAME: input directory $src is missing" >&2; exit 1; }
  _plan "tree $2 $(readlink -f "$src") $(cd "$src" && find . -printf '%p %s %T@ %m %l\n' | LC_ALL=C sort | sha256sum | cut -c1-16)"
  if [ "$RECIPE_MODE" = stage ]; then mkdir -p "$d" && cp -a --no-preserve=ownership "$src/." "$d/"; fi
}

# text PATH MODE < content: a file written from stdin.
text() {
  local d content; _dest "$1"; content=$(cat; echo x); content=${content%x}
  _plan "text $1 $2 $(printf '%s' "$content" | sha256sum | cut -c1-16)"
  if [ "$RECIPE_MODE" = stage ]; then
    _parent "$d" && printf '%s' "$content" >"$d" && chmod "$2" "$d"
  fi
}

# debian_accounts USER UID GID HOME SHELL: /etc/passwd and /etc/group as the Debian-based upstream
# images have them: root, nobody/nogroup, and the one system account the program runs as.
debian_accounts() {
  text /etc/passwd 0644 <<TXT
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
$1:x:$2:$3::$4:$5
TXT
  text /etc/group 0644 <<TXT
root:x:0:
nogroup:x:65534:
$1:x:$3:
TXT
}

# link TARGET PATH: a symbolic link PATH -> TARGET.
link() {
  local d; _dest "$2"; _plan "link $2 $1"
  if [ "$RECIPE_MODE" = stage ]; then _parent "$d" && ln -sfn "$1" "$d"; fi
}

# owner PATH UID:GID: the owner of PATH in this layer.
owner() {
  _plan "owner $1 $2"
  _layer_owners[$_layer]+="${_layer_owners[$_layer]:+,}$(_json_str "$1"):$(_json_str "$2")"
}

# capability PATH CAP...: file capabilities (permitted + effective, setcap's "+ep") of PATH.
capability() {
  local path=$1 caps='' c; shift
  for c in "$@"; do caps+="${caps:+,}$(_json_str "$c")"; done
  _plan "capability $path $*"
  _layer_caps[$_layer]+="${_layer_caps[$_layer]:+,}$(_json_str "$path"):[$caps]"
}

# config JSON: the image config (go-containerregistry's v1.Config field names: Entrypoint, Cmd,
# User, Env, WorkingDir, ExposedPorts, Labels, ...).
config() { _config=$1; _plan "config $1"; }

# with_libs BINARY: puts the shared libraries BINARY loads (ldd), at the paths ldd names; the
# image is usr-merged like Debian 12 (see usrmerge), so /lib/... lands in /usr/lib/....
declare -gA _libs_put=()
with_libs() {
  local lib dest libs
  libs=$(ldd "$1" 2>/dev/null) || return 0 # static: nothing to add
  while read -r lib; do
    case $lib in /lib/* | /lib64/*) dest=/usr$lib ;; *) dest=$lib ;; esac
    [ -z "${_libs_put[$dest]:-}" ] || continue # once per image
    _libs_put[$dest]=1
    put "$lib" "$dest"
  done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$libs" | LC_ALL=C sort -u)
}

# usrmerge: /bin, /sbin, /lib, /lib64 as links into /usr, as on Debian 12.
usrmerge() {
  dir /usr/bin; dir /usr/sbin; dir /usr/lib; dir /usr/lib64
  link usr/bin /bin; link usr/sbin /sbin; link usr/lib /lib; link usr/lib64 /lib64
}

# The spec imagetar reads (after a stage run).
recipe_spec() {
  local out=$1 i layers=''
  [ -n "$_ref" ] && [ -n "$_config" ] || { echo "images: $RECIPE_NAME: recipe sets no image or no config" >&2; exit 1; }
  for ((i = 0; i <= _layer; i++)); do
    layers+="${layers:+,}{\"dir\":$(_json_str "$RECIPE_STAGE/layer$i"),\"comment\":$(_json_str "${_layer_comments[$i]}"),\"owners\":{${_layer_owners[$i]}},\"capabilities\":{${_layer_caps[$i]}}}"
  done
  printf '{"ref":%s,"output":%s,"layers":[%s],"config":%s}\n' "$(_json_str "$_ref")" "$(_json_str "$out")" "$layers" "$_config"
}
