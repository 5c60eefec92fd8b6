# shellcheck shell=bash
# A Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, all from the Go module proxy, with TLS from a CA generated here, and kwok
# acting as the kubelet of one fake node (riffle-kwok-0) so that pods bound to it become Running.

PKI_DIR=$RIFFLE_RUN_DIR/pki
KUBE_DIR=$RIFFLE_RUN_DIR/kube
KUBECONFIG_FILE=$RIFFLE_RUN_DIR/kubeconfig
KWOK_NODE=riffle-kwok-0

# ---- PKI and kubeconfig -----------------------------------------------------------------------

pki_sign() { # pki_sign <name> <subject> <extensions>
  local n=$1
  openssl req -newkey rsa:2048 -nodes -keyout "$PKI_DIR/$n.key" -out "$PKI_DIR/$n.csr" -subj "$2" 2>/dev/null
  openssl x509 -req -in "$PKI_DIR/$n.csr" -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" -CAcreateserial \
    -out "$PKI_DIR/$n.crt" -days 365 -extfile <(printf '%b' "$3") 2>/dev/null
  rm -f "$PKI_DIR/$n.csr"
}

kube_pki() {
  [[ -f $PKI_DIR/.complete ]] && return 0
  rm -rf "$PKI_DIR"
  mkdir -p "$PKI_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI_DIR/ca.key" -out "$PKI_DIR/ca.crt" -days 3650 \
    -subj "/CN=riffle-test-ca" 2>/dev/null || die "openssl could not create the test CA in $PKI_DIR"
  local sans="IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default"
  sans+=",DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  local usage='keyUsage=critical,digitalSignature,keyEncipherment'
  pki_sign apiserver "/CN=kube-apiserver" "subjectAltName=$sans\nextendedKeyUsage=serverAuth\n$usage"
  pki_sign admin "/O=system:masters/CN=riffle-admin" "extendedKeyUsage=clientAuth\n$usage"
  pki_sign front-proxy-client "/CN=front-proxy-client" "extendedKeyUsage=clientAuth\n$usage"
  openssl genrsa -out "$PKI_DIR/sa.key" 2048 2>/dev/null
  openssl rsa -in "$PKI_DIR/sa.key" -pubout -out "$PKI_DIR/sa.pub" 2>/dev/null
  touch "$PKI_DIR/.complete"
}

kube_kubeconfig() {
  local b64='base64 -w0'
  cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: riffle-test
  cluster:
    server: https://127.0.0.1:$APISERVER_PORT
    certificate-authority-data: $($b64 <"$PKI_DIR/ca.crt")
users:
- name: riffle-admin
  user:
    client-certificate-data: $($b64 <"$PKI_DIR/admin.crt")
    client-key-data: $($b64 <"$PKI_DIR/admin.key")
contexts:
- name: riffle-test
  context:
    cluster: riffle-test
    user: riffle-admin
current-context: riffle-test
EOF
  chmod 600 "$KUBECONFIG_FILE"
}

kctl() { "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

# ---- processes -------------------------------------------------------------------------------

etcd_start() {
  rm -rf "$KUBE_DIR/etcd"
  mkdir -p "$KUBE_DIR"
  start_bg etcd "$ETCD_BIN/etcd" --name riffle --data-dir "$KUBE_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "riffle=http://127.0.0.1:$ETCD_PEER_PORT" \
    --listen-metrics-urls "" --unsafe-no-fsync --quota-backend-bytes 2147483648 --log-level warn
}
etcd_ready() { curl -fsS "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"'; }

# Every request that reaches the apiserver is written (metadata only) to logs/kube-apiserver-audit.log,
# so the tests' traffic is visible there.
apiserver_audit_policy() {
  mkdir -p "$KUBE_DIR"
  cat >"$KUBE_DIR/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  users: [system:kube-scheduler, system:kube-controller-manager, system:apiserver]
- level: None
  resources: [{group: coordination.k8s.io, resources: [leases]}]
- level: Metadata
EOF
}

apiserver_start() {
  apiserver_audit_policy
  start_bg kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
    --cert-dir "$KUBE_DIR/apiserver" \
    --tls-cert-file "$PKI_DIR/apiserver.crt" --tls-private-key-file "$PKI_DIR/apiserver.key" \
    --client-ca-file "$PKI_DIR/ca.crt" \
    --requestheader-client-ca-file "$PKI_DIR/ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$PKI_DIR/front-proxy-client.crt" --proxy-client-key-file "$PKI_DIR/front-proxy-client.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI_DIR/sa.pub" --service-account-signing-key-file "$PKI_DIR/sa.key" \
    --service-cluster-ip-range 10.96.0.0/24 \
    --authorization-mode Node,RBAC --allow-privileged=true \
    --audit-policy-file "$KUBE_DIR/audit-policy.yaml" --audit-log-path "$LOGS_DIR/kube-apiserver-audit.log" \
    --audit-log-maxsize 100 --audit-log-maxbackup 1 \
    --enable-priority-and-fairness=false --profiling=false --v=1
}
apiserver_ready() {
  curl -fsS --cacert "$PKI_DIR/ca.crt" --cert "$PKI_DIR/admin.crt" --key "$PKI_DIR/admin.key" \
    "https://127.0.0.1:$APISERVER_PORT/readyz" | grep -q '^ok'
}

kcm_start() {
  start_bg kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE" \
    --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --leader-elect=false \
    --root-ca-file "$PKI_DIR/ca.crt" --service-account-private-key-file "$PKI_DIR/sa.key" \
    --use-service-account-credentials=false --cert-dir "$KUBE_DIR/kcm" \
    --authorization-always-allow-paths /healthz,/readyz,/livez,/metrics \
    --node-monitor-grace-period 60s --profiling=false --v=1
}
kcm_ready() { curl -fsSk "https://127.0.0.1:$KCM_PORT/healthz" | grep -q '^ok'; }

scheduler_start() {
  start_bg kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE" \
    --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --bind-address 127.0.0.1 --secure-port "$SCHEDULER_PORT" --leader-elect=false \
    --cert-dir "$KUBE_DIR/scheduler" \
    --authorization-always-allow-paths /healthz,/readyz,/livez,/metrics --profiling=false --v=1
}
scheduler_ready() { curl -fsSk "https://127.0.0.1:$SCHEDULER_PORT/healthz" | grep -q '^ok'; }

kwok_start() {
  start_bg kwok "$KWOK_BIN/kwok" --config "$KWOK_STAGES" --kubeconfig "$KUBECONFIG_FILE" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --manage-nodes-with-label-selector "" --manage-single-node "" \
    --cidr 10.244.0.1/24 --node-ip 10.244.0.1 --node-lease-duration-seconds 40 \
    --server-address "127.0.0.1:$KWOK_PORT"
}

# The fake node carries no taint, so ordinary Deployments schedule onto it without tolerations.
kwok_node() {
  kctl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $KWOK_NODE
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: $KWOK_NODE
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    kubernetes.io/role: agent
    type: kwok
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
EOF
}
kwok_node_ready() {
  [[ $(kctl get node "$KWOK_NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}') == True ]]
}
default_sa_ready() { kctl -n default get serviceaccount default; }

kube_start() {
  kube_pki
  kube_kubeconfig
  etcd_start
  wait_ready etcd 60 "etcd (127.0.0.1:$ETCD_PORT)" etcd_ready
  apiserver_start
  wait_ready kube-apiserver 120 "kube-apiserver (https://127.0.0.1:$APISERVER_PORT)" apiserver_ready
  kcm_start
  scheduler_start
  kwok_start
  wait_ready kube-controller-manager 60 "kube-controller-manager (127.0.0.1:$KCM_PORT)" kcm_ready
  wait_ready kube-scheduler 60 "kube-scheduler (127.0.0.1:$SCHEDULER_PORT)" scheduler_ready
  kwok_node || fail_start kube-apiserver "could not create node $KWOK_NODE"
  wait_ready kwok 60 "kwok node $KWOK_NODE" kwok_node_ready
  wait_ready kube-controller-manager 60 "default service account" default_sa_ready
}
