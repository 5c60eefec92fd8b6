# shellcheck shell=bash
# Builds (or fetches) every component into $RIFFLE_CACHE/<tool>-<version>/ unless it is already there.
# Each helper module in hack/tools/<tool>/ pins its tool (go.mod + go.sum), one module per tool so that
# their dependency versions never get unified. A finished build leaves a `.complete` marker; a directory
# without it is rebuilt.

KAFKA_HOME=$RIFFLE_CACHE/kafka-$KAFKA_VERSION
K8S_BIN=$RIFFLE_CACHE/kubernetes-$K8S_VERSION/bin
ETCD_BIN=$RIFFLE_CACHE/etcd-$ETCD_VERSION/bin
KWOK_BIN=$RIFFLE_CACHE/kwok-$KWOK_VERSION/bin
VERSITYGW_BIN=$RIFFLE_CACHE/versitygw-$VERSITYGW_VERSION/bin
HELM_BIN=$RIFFLE_CACHE/helm-$HELM_VERSION/bin

# go_build <out-dir> <module-dir> <ldflags> <package...>
go_build() {
  local out=$1 mod=$2 ldflags=$3
  shift 3
  local dir=${out%/bin}
  if [[ -f $dir/.complete ]]; then
    return 0
  fi
  log "building $(basename "$dir") (cold build, can take minutes; log: $dir/build.log)"
  rm -rf "$dir"
  mkdir -p "$out"
  local start=$SECONDS
  if ! (cd "$mod" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly nice_run \
    go build -p 2 -trimpath -buildvcs=false -ldflags "-s -w $ldflags" -o "$out/" "$@") >"$dir/build.log" 2>&1; then
    tail -n 30 "$dir/build.log" >&2
    die "go build of $(basename "$dir") failed (full log: $dir/build.log); the Go module proxy must be reachable for a cold build"
  fi
  echo "$((SECONDS - start))" >"$dir/build-seconds"
  touch "$dir/.complete"
  log "built $(basename "$dir") in $((SECONDS - start))s"
}

build_kafka() {
  [[ -f $KAFKA_HOME/.complete ]] && return 0
  log "fetching Kafka $KAFKA_VERSION jars from Maven Central into $KAFKA_HOME/libs"
  rm -rf "$KAFKA_HOME"
  mkdir -p "$KAFKA_HOME"
  local start=$SECONDS
  if ! nice_run mvn -B -q -f "$TOOLS_DIR/kafka/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME/libs" \
    >"$KAFKA_HOME/build.log" 2>&1; then
    tail -n 30 "$KAFKA_HOME/build.log" >&2
    die "maven could not fetch Kafka $KAFKA_VERSION (log: $KAFKA_HOME/build.log); Maven Central must be reachable"
  fi
  [[ -f $KAFKA_HOME/libs/kafka_2.13-$KAFKA_VERSION.jar ]] || die "kafka_2.13-$KAFKA_VERSION.jar missing from $KAFKA_HOME/libs"
  echo "$((SECONDS - start))" >"$KAFKA_HOME/build-seconds"
  touch "$KAFKA_HOME/.complete"
}

build_versitygw() {
  go_build "$VERSITYGW_BIN" "$TOOLS_DIR/versitygw" \
    "-X main.Version=$VERSITYGW_VERSION" github.com/versity/versitygw/cmd/versitygw
}

build_etcd() {
  go_build "$ETCD_BIN" "$TOOLS_DIR/etcd" \
    "-X go.etcd.io/etcd/api/v3/version.GitSHA=release-${ETCD_VERSION#v}" go.etcd.io/etcd/server/v3
  # go names the binary of go.etcd.io/etcd/server/v3 "server"
  if [[ ! -x $ETCD_BIN/etcd && -x $ETCD_BIN/server ]]; then
    mv "$ETCD_BIN/server" "$ETCD_BIN/etcd"
  fi
}

KWOK_STAGES=$RIFFLE_CACHE/kwok-$KWOK_VERSION/stages.yaml

# kwok >= 0.8 has no built-in stages: take kwok's own "fast" node/pod stages and the node lease
# heartbeat from its module (Ready nodes with leases; bound pods Running; deleted pods removed).
build_kwok() {
  go_build "$KWOK_BIN" "$TOOLS_DIR/kwok" \
    "-X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" sigs.k8s.io/kwok/cmd/kwok
  [[ -s $KWOK_STAGES ]] && return 0
  local src f
  src=$(cd "$TOOLS_DIR/kwok" && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go list -m -f '{{.Dir}}' sigs.k8s.io/kwok) ||
    die "could not locate the sigs.k8s.io/kwok module (go mod download in hack/tools/kwok)"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    printf -- '---\n'
    cat "$src/kustomize/stage/$f"
  done >"$KWOK_STAGES.tmp"
  mv "$KWOK_STAGES.tmp" "$KWOK_STAGES"
}

build_helm() {
  local minor=${K8S_VERSION#v1.}
  minor=${minor%%.*}
  go_build "$HELM_BIN" "$TOOLS_DIR/helm" \
    "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
     -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor \
     -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor" \
    helm.sh/helm/v3/cmd/helm
}

# The staging modules are replaced by their published v0.X.Y tags in hack/tools/k8s/go.mod (see
# docs/test-environment.md); the ldflags are those of upstream hack/lib/version.sh so that /version
# reports the real release.
build_kubernetes() {
  local minor=${K8S_VERSION#v1.}
  minor=${minor%%.*}
  local ld="" pkg
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  go_build "$K8S_BIN" "$TOOLS_DIR/k8s" "$ld" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}

build_all() {
  build_kafka
  build_versitygw
  build_etcd
  build_kwok
  build_helm
  build_kubernetes
}
