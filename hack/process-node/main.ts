// The Riffle process node: a kubelet for the test control plane that runs pods as local processes.
//
//   node hack/process-node/main.ts --kubeconfig <admin kubeconfig> --state-dir <dir> [options]
//   (normally started by `bash hack/process-node.sh up`, which `hack/test-env.sh up` calls)
//
// What it does. It registers the Node `riffle-process-node` (label and NoSchedule taint
// `riffle.dev/process-node=true`, so that only pods asking for it land here and kwok's fake node
// `riffle-kwok-0`, which kwok manages by annotation, keeps the rest), renews its Lease every 10 s, and
// watches the pods bound to it. For each pod it materializes the volumes (configMap, secret, projected
// configMap/secret, emptyDir, hostPath) and a service account token bound to the pod, resolves each
// container's environment (value with $(VAR), fieldRef incl. status.podIP, resourceFieldRef,
// configMapKeyRef, secretKeyRef, envFrom), maps the container image to a local command with images.json
// (`riffle/runtime:*` → `node runtime/src/cli/main.ts` in this repository, `riffle/operator:*` →
// `node operator/src/main.ts`, `riffle/test-http-server:*` → test-images/http-server.ts; `command`/`args`
// follow Kubernetes' ENTRYPOINT/CMD rules and `node` means this Node 24), and starts it. Status goes to the
// API server like a kubelet's: phase, the five pod conditions, containerStatuses (state, lastState,
// restartCount, ready, started, containerID `process://<pid>`), podIP, hostIP, startTime. Containers
// restart per restartPolicy with exponential backoff (1 s doubling to 30 s by default; the kubelet uses
// 10 s to 5 min), readiness/liveness/startup probes run (httpGet, tcpSocket, exec), and a deleted pod's
// programs get SIGTERM, SIGKILL after the grace period (deletionGracePeriodSeconds, else
// terminationGracePeriodSeconds), then the pod object is removed (DELETE with gracePeriodSeconds=0).
// Logs: <state-dir>/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log, and `kubectl logs` works (the
// node serves /containerLogs on 127.0.0.1:<kubelet-port> with the apiserver's certificate).
//
// Networking, and why this design. No container runtime, no Docker, but we are root on Linux.
// `hack/process-node.sh up` makes two ranges local to this machine with routes in the `local` table
// (`ip route add local 10.245.0.0/16 dev lo table local`, same for the service range 10.96.0.0/24): every
// address in them can then be bound and connected to without configuring any interface, as with 127/8
// (127/8 itself cannot hold pod IPs: the API server rejects loopback addresses in EndpointSlices).
//   - every pod gets its own address 10.245.x.y as podIP (POD_IP via fieldRef, RIFFLE_PN_POD_IP always);
//   - a Service with a cluster IP is served like kube-proxy's userspace mode: the agent listens on
//     <clusterIP>:<port> for each TCP port and forwards connections round robin to the ready endpoints of
//     its EndpointSlices (so `port` ≠ `targetPort` works); a headless Service resolves to its ready
//     endpoints' pod IPs (all with publishNotReadyAddresses), `<hostname>.<subdomain>.<ns>.svc...` to a pod;
//   - names resolve inside each Node process: NODE_OPTIONS=--import preload.ts patches dns.lookup (net,
//     http, fetch and the Kafka/S3 clients use it) to answer `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc` and
//     `<svc>.<ns>.svc.cluster.local` with the pod's search path from <state-dir>/dns.json, which the agent
//     rewrites whenever Services or EndpointSlices change; `localhost` and the pod's hostname resolve to
//     the pod IP; anything else goes to the system resolver (Kafka at 127.0.0.1:19092 and S3 at
//     127.0.0.1:19000 are reached directly, as from anywhere on this machine);
//   - the same preload makes a server that listens on the wildcard address (no host, 0.0.0.0, ::) listen
//     on the pod IP instead, so two pods can both use port 8081. A program that binds an explicit
//     127.0.0.1:<port> shares that port with every other pod (and the host): bind POD_IP or 0.0.0.0.
// Tests on the host reach pods at their pod IPs and Services at their cluster IPs directly; for names,
// import resolveClusterName from cluster-dns.ts with the records file (see the integration test).
// `down` deletes the routes again; if the agent dies they stay (harmless: nothing else uses the ranges).
// Each container runs in its own process group (signals reach its children too), dies with the agent
// (preload.ts; `setpriv --pdeathsig KILL` where the kernel honours it), and runs in a private
// mount namespace when it has volume mounts (the pod's volume directories are bind-mounted at their
// mountPaths, e.g. /etc/riffle and /var/run/secrets/kubernetes.io/serviceaccount; empty mount point
// directories are created on the host). So the operator's in-cluster config works unchanged
// (KUBERNETES_SERVICE_HOST/PORT point at the apiserver, 127.0.0.1:16443, whose certificate has that IP).
// Limits (documented, by design): no network isolation (a pod can reach anything on this machine, and
// `localhost` means the pod IP only for Node programs), no DNS for non-Node programs, no UDP services,
// NodePort/LoadBalancer behave like ClusterIP, no init or ephemeral containers, no resource limits or
// securityContext (everything runs as root), images are never pulled, volumes are not refreshed after
// the pod starts, no exec/attach/port-forward (only logs), lifecycle hooks are ignored. Alternatives
// considered: network namespaces + veth + a DNS responder (more faithful, but needs bridge/iptables
// setup, and cleanup on a shared machine if the agent dies) and a real kubelet with containerd (needs
// images and cgroup setup; see ../shared/reference/test-infrastructure.md §8).
//
// For the e2e suite (issue 9 items 2-3, to be built on this; verified by hand on 2026-11-25: the operator
// chart installed with `helm install --wait` is Ready in ≈ 5 s and reconciles with its ServiceAccount's
// RBAC through in-cluster config; a JobManager and a TaskManager Deployment of `riffle/runtime:dev` ran the
// fraud-detection job, the TaskManager registering at `http://<svc>.<ns>.svc:8081` through a headless
// Service; deleting the TaskManager pod brought up a new one that registered):
//   - put pods here with  nodeSelector: {riffle.dev/process-node: "true"}  and
//     tolerations: [{key: riffle.dev/process-node, operator: Exists, effect: NoSchedule}]
//     — chart values `nodeSelector`/`tolerations` for the operator, `spec.jobManager.podTemplate.spec` and
//     `spec.taskManager.podTemplate.spec` for StreamJob pods;
//   - images: `riffle/operator:<any>` and `riffle/runtime:<any>` (also `[registry/]riffle-runtime:<tag>`
//     as in examples/) run this working tree; Kafka (127.0.0.1:19092) and S3 (127.0.0.1:19000) are
//     reached directly from pods;
//   - the StreamJob CRD must keep `x-kubernetes-preserve-unknown-fields` on podTemplate: apply it with
//     `kubectl apply --server-side -f charts/riffle-operator/crds/` right before the run (on 2026-11-25
//     the shared cluster's CRD kept losing it, so the API server pruned podTemplate to {} and the pods
//     went to kwok's node);
//   - on failure print `kubectl logs <pod> [--previous]` (served by this node), `kubectl get events -n <ns>`
//     (Started/Killing/BackOff/Unhealthy come from here) and the agent log $RIFFLE_RUN_DIR/logs/process-node.log.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import { AddressPool } from './address-pool.ts';
import { loadImageMap } from './image-map.ts';
import { Informer } from './informer.ts';
import { KubeApi } from './kube-api.ts';
import { startLogServer } from './log-server.ts';
import { NodeRegistration } from './node-registration.ts';
import { PodWorker, type WorkerDeps } from './pod-worker.ts';
import { DEFAULT_BACKOFF } from './restart-policy.ts';
import { ServiceProxy } from './service-proxy.ts';

const repo = resolve(import.meta.dirname, '../..');

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    'state-dir': { type: 'string' },
    'node-name': { type: 'string', default: 'riffle-process-node' },
    images: { type: 'string', default: join(import.meta.dirname, 'images.json') },
    'kubelet-port': { type: 'string', default: '17250' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'no-taint': { type: 'boolean', default: false },
    'pod-cidr': { type: 'string', default: '10.245.0.0/16' },
    'backoff-base-ms': { type: 'string', default: String(DEFAULT_BACKOFF.baseMs) },
    'backoff-cap-ms': { type: 'string', default: String(DEFAULT_BACKOFF.capMs) },
  },
});

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

async function main(): Promise<void> {
  if (!values.kubeconfig || !values['state-dir'])
    throw new Error('usage: main.ts --kubeconfig <file> --state-dir <dir> [--node-name N] [--images F]');
  const stateDir = resolve(values['state-dir']);
  mkdirSync(join(stateDir, 'pods'), { recursive: true });
  const api = await KubeApi.fromKubeconfig(values.kubeconfig);
  const nodeName = values['node-name'];
  const hostIP = '127.0.0.1';
  const kubeletPort = Number(values['kubelet-port']);
  const dnsFile = join(stateDir, 'dns.json');
  const pidFile = join(stateDir, 'pod-pids');
  const imageMap = loadImageMap(values.images, { repo, node: process.execPath });
  const deps: WorkerDeps = {
    api,
    imageMap,
    stateDir,
    hostIP,
    nodeBin: process.execPath,
    preload: join(import.meta.dirname, 'preload.ts'),
    dnsFile,
    kubeServer: api.server,
    backoff: {
      ...DEFAULT_BACKOFF,
      baseMs: Number(values['backoff-base-ms']),
      capMs: Number(values['backoff-cap-ms']),
    },
    nodeName,
    log,
  };

  const version = await api.request<{ gitVersion: string }>('GET', '/version');
  const registration = new NodeRegistration(
    api,
    { name: nodeName, hostIP, kubeletPort, kubeletVersion: version.gitVersion, taint: !values['no-taint'] },
    log,
  );
  await registration.register();

  const workers = new Map<string, PodWorker>();
  const podIPs = new AddressPool(values['pod-cidr']);
  const writePids = () =>
    writeFileSync(
      pidFile,
      [...workers.values()]
        .flatMap((w) => w.pids())
        .map((p) => `${p}\n`)
        .join(''),
    );
  const pidTimer = setInterval(writePids, 1000);

  const logServer =
    values['tls-cert'] && values['tls-key']
      ? startLogServer(
          hostIP,
          kubeletPort,
          { cert: values['tls-cert'], key: values['tls-key'] },
          (ns, pod, c, prev) => {
            const w = workers.get(`${ns}/${pod}`);
            const n = w?.containerRestartCount(c);
            if (w === undefined || n === undefined) return undefined;
            return w.logFile(c, prev ? n - 1 : n);
          },
        )
      : undefined;

  const proxy = new ServiceProxy(dnsFile, log);
  let netPending = false;
  const scheduleNetwork = () => {
    if (netPending) return;
    netPending = true;
    setTimeout(() => {
      netPending = false;
      proxy.update([...services.cache.values()], [...slices.cache.values()]);
    }, 20);
  };
  const services = new Informer<V1Service>(api, '/api/v1/services', '', scheduleNetwork, log);
  const slices = new Informer<V1EndpointSlice>(
    api,
    '/apis/discovery.k8s.io/v1/endpointslices',
    '',
    scheduleNetwork,
    log,
  );

  const onPod = (pod: V1Pod, deleted: boolean) => {
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const existing = workers.get(key);
    if (existing !== undefined && existing.pod.metadata?.uid !== pod.metadata?.uid) {
      // a new pod with the same name: the old one is gone
      workers.delete(key);
      podIPs.release(key);
      void existing.stop(2);
    }
    const worker = workers.get(key);
    if (deleted) {
      if (worker === undefined) return;
      workers.delete(key);
      podIPs.release(key);
      log(`${key}: removed from the API, stopping its containers`);
      void worker.stop(2);
      return;
    }
    if (worker !== undefined) {
      worker.update(pod);
      return;
    }
    const previousIP = pod.status?.podIP;
    const ip = previousIP !== undefined && podIPs.claim(key, previousIP) ? previousIP : podIPs.allocate(key);
    const w = new PodWorker(deps, pod, ip);
    workers.set(key, w);
    log(`${key}: assigned, pod IP ${ip}`);
    w.start();
    if (pod.metadata?.deletionTimestamp !== undefined) w.update(pod);
  };
  const pods = new Informer<V1Pod>(
    api,
    '/api/v1/pods',
    `fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`,
    onPod,
    log,
  );
  services.start();
  slices.start();
  await Promise.all([services.hasSynced(), slices.hasSynced()]);
  proxy.update([...services.cache.values()], [...slices.cache.values()]);
  pods.start();
  await pods.hasSynced();
  writeFileSync(join(stateDir, 'ready'), `${process.pid}\n`);
  log(`process node ${nodeName} ready (state ${stateDir}, kubelet port ${kubeletPort}, dns ${dnsFile})`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ${workers.size} pod(s) and the node`);
    pods.stop();
    services.stop();
    slices.stop();
    clearInterval(pidTimer);
    await Promise.all([...workers.values()].map((w) => w.stop(5)));
    writeFileSync(pidFile, '');
    await registration.stop();
    proxy.close();
    logServer?.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: Error) => {
  log(`process node failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
