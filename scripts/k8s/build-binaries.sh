#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager (Kubernetes $K8S_VERSION) and the KEDA operator and
# metrics adapter (KEDA $KEDA_VERSION) from their Go modules, once, into a cache folder keyed by the
# versions. A binary that is already there is not built again. Prints the bin folder on its last line.
# `--check` only tells (exit code) whether everything is cached.
#
# Why not `go install pkg@version`: both modules carry replace directives, which `go install` refuses.
# Kubernetes builds from a throwaway module that requires k8s.io/kubernetes and maps every staging
# module to its published version; KEDA builds inside a writable copy of its module source.
set -euo pipefail
K8S_VERSION=${K8S_VERSION:-1.36.3}
KEDA_VERSION=${KEDA_VERSION:-2.21.0}
CACHE=${LEGITSCALER_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/legit-scaler-k8s/k8s$K8S_VERSION-keda$KEDA_VERSION}
BIN=$CACHE/bin
mkdir -p "$BIN"
# --check: exit 0 when every binary and the CRDs are cached, 1 otherwise; builds nothing.
if [ "${1:-}" = --check ]; then
  for f in kube-apiserver kube-controller-manager keda-operator keda-adapter; do [ -x "$BIN/$f" ] || exit 1; done
  [ -d "$CACHE/keda-crds" ] || exit 1
  exit 0
fi
log() { echo "build-binaries: $*" >&2; }

# etcd comes from Debian (3.4.23 runs kube-apiserver 1.36 fine, and installs in seconds). The early
# background build of `make test` skips it (LEGITSCALER_K8S_NO_APT=1): apt would race the apt-tools target
# for dpkg's lock, and apt-tools installs etcd-server itself.
if [ -z "${LEGITSCALER_K8S_NO_APT:-}" ] && ! command -v etcd >/dev/null; then
  log "installing etcd-server from Debian"
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
fi

# One build at a time per cache folder: `make test` starts one early in the background, and test-k8s's
# own call then waits for it here and finds the binaries in place.
exec 9>"$CACHE/.build.lock"
if ! flock -n 9; then
  log "another build of these binaries is under way; waiting for it"
  flock 9
fi

build_k8s() {
  local work=$CACHE/k8s-module
  mkdir -p "$work"
  (
    cd "$work"
    if [ ! -f go.mod ]; then
      GOFLAGS=-mod=mod go mod download k8s.io/kubernetes@v$K8S_VERSION
      local mod; mod=$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v$K8S_VERSION.mod
      local staging="0.${K8S_VERSION#1.}"
      {
        echo 'module local/k8sbuild'; echo; echo 'go 1.26.0'; echo
        echo "require k8s.io/kubernetes v$K8S_VERSION"; echo; echo 'replace ('
        grep -E '^\s+k8s.io/\S+ => ./staging' "$mod" | awk -v v="v$staging" '{print "\t"$1" => "$1" "v}'
        echo ')'
      } > go.mod.tmp
      echo 'package k8sbuild' > tools.go
      mv go.mod.tmp go.mod
    fi
    local minor; minor=$(echo "$K8S_VERSION" | cut -d. -f2)
    local ld="-s -w"
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ld="$ld -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    done
    for cmd in "$@"; do
      log "building $cmd v$K8S_VERSION (several minutes the first time)"
      GOFLAGS=-mod=mod go build -trimpath -ldflags "$ld" -o "$BIN/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
      mv "$BIN/$cmd.tmp" "$BIN/$cmd"
    done
  )
}

keda_src() {
  local src=$CACHE/keda-src
  if [ ! -f "$src/go.mod" ]; then
    local dir; dir=$(go mod download -json "github.com/kedacore/keda/v2@v$KEDA_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
    rm -rf "$src.tmp"; cp -r "$dir" "$src.tmp"; chmod -R u+w "$src.tmp"; mv "$src.tmp" "$src"
  fi
  echo "$src"
}

build_keda() {
  local src; src=$(keda_src)
  for cmd in "$@"; do
    log "building keda-$cmd v$KEDA_VERSION (several minutes the first time)"
    (cd "$src" && go build -trimpath -ldflags "-s -w -X github.com/kedacore/keda/v2/version.Version=$KEDA_VERSION" -o "$BIN/keda-$cmd.tmp" "./cmd/$cmd")
    mv "$BIN/keda-$cmd.tmp" "$BIN/keda-$cmd"
  done
}

k8s_missing=(); for c in kube-apiserver kube-controller-manager; do [ -x "$BIN/$c" ] || k8s_missing+=("$c"); done
[ ${#k8s_missing[@]} -eq 0 ] || build_k8s "${k8s_missing[@]}"
keda_missing=(); for c in operator adapter; do [ -x "$BIN/keda-$c" ] || keda_missing+=("$c"); done
[ ${#keda_missing[@]} -eq 0 ] || build_keda "${keda_missing[@]}"
# The KEDA CRDs as a user installs them (config/crd/bases of the same release).
[ -d "$CACHE/keda-crds" ] || { src=$(keda_src); rm -rf "$CACHE/keda-crds.tmp"; cp -r "$src/config/crd/bases" "$CACHE/keda-crds.tmp"; mv "$CACHE/keda-crds.tmp" "$CACHE/keda-crds"; }
echo "$BIN"
