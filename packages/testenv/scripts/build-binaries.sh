#!/usr/bin/env bash
# Builds the real processes of the test cluster from the Go module proxy into a cache outside the repo.
# Idempotent: a component whose stamp matches its pinned inputs is skipped. Prints the bin dir on stdout last.
#   EEVEE_TESTENV_CACHE  cache root (default: ~/.cache/eevee-testenv)
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=$HERE/tools
# shellcheck source=../tools/versions.env
source "$TOOLS/versions.env"
CACHE=${EEVEE_TESTENV_CACHE:-$HOME/.cache/eevee-testenv}
BIN=$CACHE/bin
LOGS=$CACHE/build-logs
mkdir -p "$BIN" "$LOGS"
# One builder at a time (a test run and ./dev may both ask).
exec 9>"$CACHE/.build.lock"
flock 9
# Go may be installed but not on a non-login shell's PATH.
command -v go >/dev/null || export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || { echo "testenv: Go is required to build the cluster binaries (https://go.dev/dl)" >&2; exit 1; }
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"
# Same flags every time: the Go build cache is keyed by them.
LDBASE="-s -w"

stamp_of() { # component inputs... -> hash of what determines the build
  local c=$1; shift
  { echo "$c $LDBASE $GOFLAGS $(go env GOVERSION)"; for f in "$@"; do cat "$f"; done; } | sha256sum | cut -c1-16
}

build() { # build COMPONENT STAMP CMD...
  local c=$1 want=$2; shift 2
  local sf=$BIN/.$c.stamp
  if [ -f "$sf" ] && [ "$(cat "$sf")" = "$want" ]; then
    echo "testenv: $c is up to date" >&2; return 0
  fi
  echo "testenv: building $c (log: $LOGS/$c.log)" >&2
  local t0=$SECONDS
  if ! "$@" >"$LOGS/$c.log" 2>&1; then
    echo "testenv: BUILD FAILED: $c. Last lines of $LOGS/$c.log:" >&2
    tail -n 30 "$LOGS/$c.log" >&2
    exit 1
  fi
  echo "$want" > "$sf"
  echo "testenv: built $c in $((SECONDS - t0))s" >&2
}

build_k8s() {
  local minor; minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  # Version stamping, as k8s hack/lib/version.sh does: without it /version says v0.0.0-master and helm refuses.
  local ld="$LDBASE" p
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    ld="$ld -X $p.gitCommit=0000000000000000000000000000000000000000 -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  cd "$TOOLS/k8s"
  go mod download
  # One binary at a time: each link takes ~2-3 GB of RAM.
  for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    time go build -ldflags "$ld" -o "$BIN/$cmd" "k8s.io/kubernetes/cmd/$cmd"
  done
  "$BIN/kube-apiserver" --version
}

build_etcd() {
  cd "$TOOLS/etcd"
  go build -ldflags "$LDBASE" -o "$BIN/etcd" go.etcd.io/etcd/server/v3
  "$BIN/etcd" --version
}

go_install() { # module@version [extra ldflags]
  GOBIN="$BIN" go install -ldflags "$LDBASE ${2:-}" "$1"
}

build_kwok() {
  go_install "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"
  "$BIN/kwok" --version || true
}

build_helm() {
  local x="-X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION"
  local minor; minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  x="$x -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
  x="$x -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor"
  go_install "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION" "$x"
  "$BIN/helm" version
}

build_nats() {
  go_install "github.com/nats-io/nats-server/v2@v$NATS_VERSION"
  "$BIN/nats-server" --version
}

build_versitygw() {
  go_install "github.com/versity/versitygw/cmd/versitygw@v$VERSITYGW_VERSION"
  "$BIN/versitygw" --version || true
}

# Not a binary: the Prometheus Operator's CRDs (PodMonitor, ServiceMonitor, PrometheusRule) from its Go module, so
# the chart's monitoring objects are validated by a real apiserver. Into $CACHE/crds/prometheus-operator.
fetch_prometheus_crds() {
  local dir; dir=$(cd "$(mktemp -d)" && go mod download -json "github.com/prometheus-operator/prometheus-operator@v$PROMETHEUS_OPERATOR_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  local out=$CACHE/crds/prometheus-operator
  rm -rf "$out" && mkdir -p "$out"
  for kind in podmonitors servicemonitors prometheusrules; do
    cp "$dir/example/prometheus-operator-crd/monitoring.coreos.com_$kind.yaml" "$out/"
  done
  chmod 644 "$out"/*.yaml
  ls "$out"
}

only=${1:-all}
want() { [ "$only" = all ] || [ "$only" = "$1" ]; }
T0=$SECONDS
want k8s && build k8s "$(stamp_of k8s "$TOOLS/k8s/go.mod" "$TOOLS/k8s/go.sum")" build_k8s
want etcd && build etcd "$(stamp_of etcd "$TOOLS/etcd/go.mod" "$TOOLS/etcd/go.sum")" build_etcd
want kwok && build kwok "$(stamp_of "kwok $KWOK_VERSION")" build_kwok
want nats && build nats "$(stamp_of "nats $NATS_VERSION")" build_nats
want versitygw && build versitygw "$(stamp_of "versitygw $VERSITYGW_VERSION")" build_versitygw
want helm && build helm "$(stamp_of "helm $HELM_VERSION $K8S_VERSION")" build_helm
want prometheus-crds && build prometheus-crds "$(stamp_of "prometheus-crds $PROMETHEUS_OPERATOR_VERSION")" fetch_prometheus_crds
echo "testenv: binaries ready in $((SECONDS - T0))s" >&2
echo "$BIN"
