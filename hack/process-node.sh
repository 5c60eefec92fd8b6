#!/usr/bin/env bash
# The process node (hack/process-node/main.ts): a kubelet for the test control plane that runs pods as
# local processes. Needs the control plane of hack/test-env.sh; `hack/test-env.sh up|down|status` call this.
#
#   hack/process-node.sh up       start it (if not running) and wait until its node is Ready
#   hack/process-node.sh down     stop it (SIGTERM: it stops its pods' processes first), reap leftovers
#   hack/process-node.sh status   show it; exits 1 if it is not running
set -euo pipefail

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$HACK_DIR/lib/common.sh"

PROCESS_NODE=riffle-process-node
PROCESS_NODE_DIR=$RIFFLE_RUN_DIR/process-node
PROCESS_NODE_PORT=${RIFFLE_PROCESS_NODE_PORT:-17250}
KUBECONFIG_FILE=$RIFFLE_RUN_DIR/kubeconfig
NODE24=$RIFFLE_ROOT/node_modules/.bin/node
# Pod IPs, and the apiserver's --service-cluster-ip-range (hack/lib/kube.sh): both made local to this machine.
PROCESS_NODE_POD_CIDR=${RIFFLE_PROCESS_NODE_POD_CIDR:-10.245.0.0/16}
PROCESS_NODE_SERVICE_CIDR=10.96.0.0/24

# Any address in a range with a `local` route can be bound and reached (like 127/8), no interfaces needed.
routes_up() {
  local cidr
  for cidr in "$PROCESS_NODE_POD_CIDR" "$PROCESS_NODE_SERVICE_CIDR"; do
    ip route replace local "$cidr" dev lo table local ||
      die "cannot add the local route for $cidr (needs root/CAP_NET_ADMIN): the process node needs it"
  done
}
routes_down() {
  local cidr
  for cidr in "$PROCESS_NODE_POD_CIDR" "$PROCESS_NODE_SERVICE_CIDR"; do
    ip route del local "$cidr" dev lo table local 2>/dev/null || true
  done
}

process_node_ready() {
  local kubectl=$RIFFLE_CACHE/kubernetes-$K8S_VERSION/bin/kubectl
  [[ $("$kubectl" --kubeconfig "$KUBECONFIG_FILE" get node "$PROCESS_NODE" \
    -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]] &&
    [[ $(cat "$PROCESS_NODE_DIR/ready" 2>/dev/null) == "$(pid_of process-node)" ]]
}

# Leftover pod processes of an agent that died without stopping them (they normally die with it, by
# pdeathsig). Only a process whose environment says it is a process-node pod is killed (with its group).
reap_pods() {
  local f=$PROCESS_NODE_DIR/pod-pids pid
  [[ -s $f ]] || return 0
  while read -r pid; do
    if [[ -n $pid ]] && grep -qz '^RIFFLE_PN_POD_IP=' "/proc/$pid/environ" 2>/dev/null; then
      log "killing leftover pod process $pid"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  done <"$f"
  : >"$f"
}

cmd_up() {
  [[ -s $KUBECONFIG_FILE ]] || die "no kubeconfig at $KUBECONFIG_FILE: run hack/test-env.sh up first"
  if is_running process-node && process_node_ready; then
    return 0
  fi
  stop_proc process-node
  reap_pods
  mkdir -p "$PROCESS_NODE_DIR"
  routes_up
  # The log server ("kubelet" port, for kubectl logs) reuses the apiserver's serving certificate.
  start_bg process-node "$NODE24" "$RIFFLE_ROOT/hack/process-node/main.ts" \
    --kubeconfig "$KUBECONFIG_FILE" --state-dir "$PROCESS_NODE_DIR" --node-name "$PROCESS_NODE" \
    --kubelet-port "$PROCESS_NODE_PORT" --pod-cidr "$PROCESS_NODE_POD_CIDR" \
    --tls-cert "$RIFFLE_RUN_DIR/pki/apiserver.crt" --tls-key "$RIFFLE_RUN_DIR/pki/apiserver.key"
  wait_ready process-node 60 "process node $PROCESS_NODE" process_node_ready
}

cmd_down() {
  stop_proc process-node
  reap_pods
  routes_down
}

cmd_status() {
  local pid
  pid=$(pid_of process-node || true)
  if is_running process-node; then
    printf '%-24s running  pid %-8s log %s\n' process-node "$pid" "$LOGS_DIR/process-node.log"
  elif [[ -n $pid ]]; then
    printf '%-24s DIED     pid %-8s log %s\n' process-node "$pid" "$LOGS_DIR/process-node.log"
    return 1
  else
    printf '%-24s stopped\n' process-node
    return 1
  fi
}

case ${1:-} in
up) cmd_up ;;
down) cmd_down ;;
status) cmd_status ;;
*)
  echo "usage: hack/process-node.sh up|down|status" >&2
  exit 2
  ;;
esac
