# Sourced by the Go builds of tools/*/build.sh whose module cannot be built with `go install
# module@version` (it carries `replace` directives): they build it inside a small wrapper module under
# .cache/build/ instead. Set `go_build_tag` (the prefix of messages) before sourcing.
#   go_cache                      .cache/ of the repository, or $FLEETNET_GO_CACHE (a trial build elsewhere)
#   go_module_dir MODULE VERSION  the module's folder in the Go module cache (downloaded when missing)
#   go_line DIR                   the `go` line of DIR/go.mod
#   write_wrapper_mod WORK        stdin becomes WORK/go.mod when it differs (its go.sum is dropped then)
#   kubernetes_staging_replaces SRC VERSION   a replace block pointing each k8s.io staging module that
#                                 k8s.io/kubernetes requires at v0.0.0 at its published release
#   kubernetes_ldflags VERSION    the version stamp kubernetes' own build links into its programs
#   timed_go_build WHAT WORK ARGS...          `go build ARGS` in WORK, reported with its time
go_build_tag=${go_build_tag:-build}
go_cache=${FLEETNET_GO_CACHE:-$root/.cache}
export GOFLAGS=-mod=mod CGO_ENABLED=0
mkdir -p "$go_cache/bin" "$go_cache/build"

go_module_dir() {
  local dir
  dir=$(go mod download -json "$1@$2" | sed -nE 's/^\s*"Dir": "(.*)",?$/\1/p')
  [ -d "$dir" ] || { echo "$go_build_tag: could not download $1@$2 from the Go module proxy" >&2; return 1; }
  echo "$dir"
}

go_line() {
  grep -E '^go [0-9.]+$' "$1/go.mod"
}

write_wrapper_mod() {
  local work=$1
  mkdir -p "$work"
  cat >"$work/go.mod.new"
  if ! cmp -s "$work/go.mod.new" "$work/go.mod"; then mv "$work/go.mod.new" "$work/go.mod"; rm -f "$work/go.sum"; else rm -f "$work/go.mod.new"; fi
}

# k8s.io/kubernetes requires its staging modules (k8s.io/api, k8s.io/apiserver, ...) at v0.0.0 and
# replaces them with ./staging/src/...; replacements of a dependency do not apply to us, so each one is
# pointed at its published release, v0.<minor>.<patch> for kubernetes v1.<minor>.<patch>. Only the
# v0.0.0 ones: some replaced-only samples are not published at all.
kubernetes_staging_replaces() {
  local src=$1 staging="v0.${2#v1.}"
  echo "replace ("
  awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print $1 }' "$src/go.mod" | sort -u | while read -r dep; do
    echo "	$dep => $dep $staging"
  done
  echo ")"
}

kubernetes_ldflags() {
  local version=$1 v=k8s.io/component-base/version minor=${1#v1.}
  minor=${minor%%.*}
  echo "-s -w -X $v.gitVersion=$version -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z"
}

timed_go_build() {
  local what=$1 work=$2 start=$SECONDS
  shift 2
  echo "$go_build_tag: building $what" >&2
  (cd "$work" && go build -buildvcs=false -trimpath "$@")
  echo "$go_build_tag: ${what%% (*} built in $((SECONDS - start))s" >&2
}
