#!/usr/bin/env bash
# Riffle's real test environment: Kafka (KRaft), an S3 server (versitygw), a Kubernetes control plane
# (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok) and helm, all built from the
# package registries and run as local processes on loopback, plus the process node (hack/process-node.sh:
# a kubelet whose pods really run, as local processes). See docs/test-environment.md.
#
#   hack/test-env.sh up       build what is missing (cached in ~/.cache/riffle), start, wait until ready
#   hack/test-env.sh down     stop the processes that `up` started (by their saved pids)
#   hack/test-env.sh status   show each component; exits 1 if one is not running
#   hack/test-env.sh env      print the env file:  eval "$(hack/test-env.sh env)"
#   hack/test-env.sh build    only build/fetch the components
set -euo pipefail

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$HACK_DIR/lib/common.sh"
# shellcheck source=lib/build.sh
source "$HACK_DIR/lib/build.sh"
# shellcheck source=lib/kafka.sh
source "$HACK_DIR/lib/kafka.sh"
# shellcheck source=lib/s3.sh
source "$HACK_DIR/lib/s3.sh"
# shellcheck source=lib/kube.sh
source "$HACK_DIR/lib/kube.sh"

# Start order; `down` stops them in reverse.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok kafka s3)

all_ready() {
  local c
  for c in "${COMPONENTS[@]}"; do
    is_running "$c" || return 1
  done
  apiserver_ready && kcm_ready && scheduler_ready && kwok_node_ready && kafka_ready && s3_ready
}

write_env() {
  local tmp=$ENV_FILE.tmp
  cat >"$tmp" <<EOF
# written by hack/test-env.sh up at $(date -u +%FT%TZ); load with: eval "\$(hack/test-env.sh env)"
export RIFFLE_TEST_ENV='1'
export RIFFLE_RUN_DIR='$RIFFLE_RUN_DIR'
export KUBECONFIG='$KUBECONFIG_FILE'
export KUBECTL='$K8S_BIN/kubectl'
export HELM='$HELM_BIN/helm'
export K8S_VERSION='$K8S_VERSION'
export KAFKA_VERSION='$KAFKA_VERSION'
export KAFKA_BOOTSTRAP_SERVERS='127.0.0.1:$KAFKA_PORT'
export S3_ENDPOINT='http://127.0.0.1:$S3_PORT'
export S3_BUCKET='$S3_BUCKET'
export AWS_ACCESS_KEY_ID='$S3_ACCESS_KEY'
export AWS_SECRET_ACCESS_KEY='$S3_SECRET_KEY'
export AWS_REGION='$S3_REGION'
export RIFFLE_PROCESS_NODE='riffle-process-node'
# pods run for real on the process node only with this nodeSelector and toleration (others go to kwok):
#   nodeSelector: {riffle.dev/process-node: "true"}
#   tolerations: [{key: riffle.dev/process-node, operator: Exists, effect: NoSchedule}]
export RIFFLE_PROCESS_NODE_SELECTOR='riffle.dev/process-node=true'
export RIFFLE_PROCESS_NODE_DIR='$RIFFLE_RUN_DIR/process-node'
export RIFFLE_PATH_PREPEND='$K8S_BIN:$HELM_BIN:$ETCD_BIN:$KWOK_BIN'
export PATH="\$RIFFLE_PATH_PREPEND:\$PATH"
EOF
  mv "$tmp" "$ENV_FILE"
}

cmd_build() {
  require_toolchains
  build_all
}

process_node() { bash "$HACK_DIR/process-node.sh" "$@"; }

cmd_down() {
  # The process node first: it stops its pods' processes while the apiserver is still there.
  process_node down
  # SIGTERM all first (reverse start order), then wait for each, so shutdowns overlap.
  local i
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    signal_proc "${COMPONENTS[i]}" TERM
  done
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    stop_proc "${COMPONENTS[i]}"
  done
  rm -f "$ENV_FILE"
}

cmd_up() {
  local start=$SECONDS
  cmd_build
  mkdir -p "$RIFFLE_RUN_DIR"
  if all_ready; then
    process_node up
    write_env
    log "already up (reused in $((SECONDS - start))s); env file: $ENV_FILE"
    return 0
  fi
  # Something is missing or unhealthy: restart the whole set so that no component keeps state
  # that belongs to an older run (e.g. an apiserver caching a wiped etcd).
  cmd_down
  kafka_start
  s3_start
  kube_start
  kafka_wait
  s3_wait
  process_node up
  write_env
  log "up in $((SECONDS - start))s; env file: $ENV_FILE (logs in $LOGS_DIR)"
}

cmd_status() {
  local c bad=0 pid
  for c in "${COMPONENTS[@]}"; do
    pid=$(pid_of "$c" || true)
    if is_running "$c"; then
      printf '%-24s running  pid %-8s log %s\n' "$c" "$pid" "$LOGS_DIR/$c.log"
    elif [[ -n $pid ]]; then
      printf '%-24s DIED     pid %-8s log %s\n' "$c" "$pid" "$LOGS_DIR/$c.log"
      bad=1
    else
      printf '%-24s stopped\n' "$c"
      bad=1
    fi
  done
  process_node status || bad=1
  if ((bad)); then
    echo "not all components are running: run hack/test-env.sh up (logs in $LOGS_DIR)" >&2
    return 1
  fi
}

cmd_env() {
  [[ -f $ENV_FILE ]] || die "no env file at $ENV_FILE: run hack/test-env.sh up first"
  cat "$ENV_FILE"
}

# One `up`/`down` at a time: concurrent test runs on this machine share the environment.
with_lock() {
  mkdir -p "$RIFFLE_CACHE"
  exec 9>"$RIFFLE_CACHE/test-env.lock"
  if ! flock -w 3600 9; then
    die "another hack/test-env.sh has held $RIFFLE_CACHE/test-env.lock for an hour"
  fi
  "$@"
}

main() {
  case ${1:-} in
  up) with_lock cmd_up ;;
  down) with_lock cmd_down ;;
  build) with_lock cmd_build ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *)
    echo "usage: hack/test-env.sh up|down|status|env|build" >&2
    exit 2
    ;;
  esac
}

main "$@"
