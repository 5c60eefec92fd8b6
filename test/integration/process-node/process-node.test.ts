// The process node (hack/process-node, started by hack/test-env.sh up) really runs pods: a Deployment of
// the test HTTP server becomes a Running, Ready pod with its own pod IP and the environment it asked for;
// its volumes (a ConfigMap, the service account token) are mounted where it asked; another pod reaches it through its Service's cluster name and cluster IP (the node's service proxy) and
// a headless Service; a killed process restarts (restartCount 1, lastState exit 137); a deleted pod gets
// SIGTERM and disappears; `kubectl logs` shows its output; restartPolicy Never pods end Succeeded/Failed.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppsV1Api, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTestEnv, repoRoot, uniqueName, waitFor } from '../test-env.ts';

const run = promisify(execFile);
const test = suite('process node (pods run as local processes)');
const ns = uniqueName('riffle-pn');
const NODE = 'riffle-process-node';
const marker = join(tmpdir(), `${ns}-sigterm.txt`);

function kc(): KubeConfig {
  const k = new KubeConfig();
  k.loadFromFile(loadTestEnv().kubeconfig);
  return k;
}
const core = () => kc().makeApiClient(CoreV1Api);

const onProcessNode = {
  nodeSelector: { 'riffle.dev/process-node': 'true' },
  tolerations: [{ key: 'riffle.dev/process-node', operator: 'Exists', effect: 'NoSchedule' }],
};

function ready(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

async function podsOf(app: string): Promise<V1Pod[]> {
  const list = await core().listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` });
  return list.items.filter((p) => p.metadata?.deletionTimestamp === undefined);
}

async function readyPod(app: string, what: (p: V1Pod) => boolean = () => true): Promise<V1Pod> {
  return waitFor(
    `a Ready pod of ${app} on ${NODE}`,
    async () => (await podsOf(app)).find((p) => ready(p) && what(p)),
    30_000,
  );
}

async function get(ip: string, path: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://${ip}:8080${path}`, { signal: AbortSignal.timeout(8000) });
  return { status: r.status, body: await r.text() };
}

test.before(async () => {
  const env = loadTestEnv();
  const node = await core()
    .readNode({ name: NODE })
    .catch(() => undefined);
  const nodeReady = node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  if (!nodeReady)
    throw new Error(
      `node ${NODE} is not Ready: run \`bash hack/test-env.sh up\` (it starts hack/process-node.sh)`,
    );
  assert.ok(env.kubeconfig);
  await core().createNamespace({ body: { metadata: { name: ns } } });
  await core().createNamespacedConfigMap({
    namespace: ns,
    body: { metadata: { name: 'settings' }, data: { GREETING: 'hello', COLOR: 'blue' } },
  });
  await core().createNamespacedSecret({
    namespace: ns,
    body: { metadata: { name: 'creds' }, stringData: { PASSWORD: 's3cret', USER: 'riffle' } },
  });
  const labels = { app: 'web' };
  await kc()
    .makeApiClient(AppsV1Api)
    .createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              ...onProcessNode,
              containers: [
                {
                  name: 'web',
                  image: 'riffle/test-http-server:1',
                  ports: [{ name: 'http', containerPort: 8080 }],
                  env: [
                    { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                    { name: 'MY_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                    { name: 'MY_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                    {
                      name: 'GREETING',
                      valueFrom: { configMapKeyRef: { name: 'settings', key: 'GREETING' } },
                    },
                    { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'creds', key: 'PASSWORD' } } },
                    { name: 'MESSAGE', value: '$(GREETING) from $(MY_NAME)' },
                  ],
                  envFrom: [
                    { configMapRef: { name: 'settings' }, prefix: 'CM_' },
                    { secretRef: { name: 'creds' } },
                  ],
                  readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2 },
                  volumeMounts: [{ name: 'settings', mountPath: '/etc/riffle-pn-test' }],
                },
              ],
              volumes: [{ name: 'settings', configMap: { name: 'settings' } }],
            },
          },
        },
      },
    });
  for (const [name, headless] of [
    ['web', false],
    ['web-headless', true],
  ] as const) {
    await core().createNamespacedService({
      namespace: ns,
      body: {
        metadata: { name },
        spec: {
          selector: labels,
          ...(headless ? { clusterIP: 'None' } : {}),
          ports: [{ name: 'http', port: headless ? 8080 : 80, targetPort: 'http' }],
        },
      },
    });
  }
});

test.after(async () => {
  await core()
    .deleteNamespace({ name: ns })
    .catch(() => undefined);
  rmSync(marker, { force: true });
});

test('a Deployment gets a Running, Ready pod with its own pod IP and the env it asked for', async () => {
  const pod = await readyPod('web');
  assert.is(pod.spec?.nodeName, NODE);
  assert.is(pod.status?.phase, 'Running');
  const ip = pod.status?.podIP ?? '';
  assert.match(ip, /^10\.245\.\d+\.\d+$/);
  assert.is(pod.status?.hostIP, '127.0.0.1');
  assert.ok(pod.status?.startTime);
  const types = (pod.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);
  for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'])
    assert.ok(types.includes(t), t);
  const cs = pod.status?.containerStatuses?.[0];
  assert.is(cs?.restartCount, 0);
  assert.ok(cs?.state?.running?.startedAt);
  const env = JSON.parse((await get(ip, '/env')).body) as Record<string, string>;
  assert.is(env.POD_IP, ip);
  assert.is(env.MY_NAME, pod.metadata?.name);
  assert.is(env.MY_NAMESPACE, ns);
  assert.is(env.GREETING, 'hello');
  assert.is(env.PASSWORD, 's3cret');
  assert.is(env.CM_COLOR, 'blue');
  assert.is(env.USER, 'riffle');
  assert.is(env.MESSAGE, `hello from ${pod.metadata?.name}`);
  assert.is(env.HOSTNAME, pod.metadata?.name);
  assert.is((await get(ip, '/file?path=/etc/riffle-pn-test/COLOR')).body, 'blue', 'configMap volume mounted');
  const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
  assert.is((await get(ip, `/file?path=${sa}/namespace`)).body, ns, 'service account volume mounted');
  assert.match((await get(ip, `/file?path=${sa}/token`)).body, /^ey/);
  assert.match((await get(ip, `/file?path=${sa}/ca.crt`)).body, 'BEGIN CERTIFICATE');
});

test('a second pod reaches the first by Service name (cluster IP proxy) and by headless Service', async () => {
  const web = await readyPod('web');
  const webPid = (JSON.parse((await get(web.status?.podIP ?? '', '/whoami')).body) as { pid: number }).pid;
  await core().createNamespacedPod({
    namespace: ns,
    body: {
      metadata: { name: 'client', labels: { app: 'client' } },
      spec: {
        ...onProcessNode,
        terminationGracePeriodSeconds: 5,
        containers: [
          {
            name: 'client',
            image: 'riffle/test-http-server:1',
            env: [{ name: 'TERM_MARKER_FILE', value: marker }],
            readinessProbe: {
              exec: { command: ['sh', '-c', 'test -n "$TERM_MARKER_FILE"'] },
              periodSeconds: 2,
            },
          },
        ],
      },
    },
  });
  const client = await readyPod('client');
  const clientIP = client.status?.podIP ?? '';
  assert.is.not(clientIP, web.status?.podIP, 'each pod has its own IP, both serve :8080');
  for (const url of [
    'http://web/whoami',
    `http://web.${ns}.svc:80/whoami`,
    `http://web-headless.${ns}.svc.cluster.local:8080/whoami`,
  ]) {
    const relayed = await waitFor(
      `${url} from the client pod`,
      async () => {
        const r = await get(clientIP, `/fetch?url=${encodeURIComponent(url)}`);
        return r.status === 200 ? (JSON.parse(r.body) as { status: number; body: string }) : undefined;
      },
      15_000,
    );
    assert.is(relayed.status, 200, url);
    assert.is((JSON.parse(relayed.body) as { pid: number }).pid, webPid, url);
  }
  const svc = await core().readNamespacedService({ name: 'web', namespace: ns });
  const direct = await fetch(`http://${svc.spec?.clusterIP}:80/whoami`, {
    signal: AbortSignal.timeout(5000),
  });
  assert.is(direct.status, 200, 'the cluster IP answers from the host too');
});

test('a killed process is restarted: restartCount 1, lastState terminated by SIGKILL, Ready again', async () => {
  const pod = await readyPod('web');
  const pid = Number(pod.status?.containerStatuses?.[0]?.containerID?.replace('process://', ''));
  assert.ok(pid > 0, 'containerID names the pid');
  process.kill(pid, 'SIGKILL');
  const restarted = await readyPod('web', (p) => p.status?.containerStatuses?.[0]?.restartCount === 1);
  const cs = restarted.status?.containerStatuses?.[0];
  assert.is(cs?.lastState?.terminated?.exitCode, 137);
  assert.is(restarted.metadata?.uid, pod.metadata?.uid, 'same pod, restarted container');
  assert.is.not(Number(cs?.containerID?.replace('process://', '')), pid);
  assert.is((await get(restarted.status?.podIP ?? '', '/healthz')).body, 'ok');
  await waitFor(
    'Started and BackOff events of the pod',
    async () => {
      const events = await core().listNamespacedEvent({
        namespace: ns,
        fieldSelector: `involvedObject.name=${pod.metadata?.name}`,
      });
      const reasons = new Set(events.items.map((e) => e.reason));
      return reasons.has('Started') && reasons.has('BackOff') ? true : undefined;
    },
    10_000,
  );
});

test('kubectl logs shows the container output', async () => {
  const env = loadTestEnv();
  const pod = await readyPod('web');
  const { stdout } = await run(env.kubectl, [
    '--kubeconfig',
    env.kubeconfig,
    '-n',
    ns,
    'logs',
    pod.metadata?.name ?? '',
  ]);
  assert.match(stdout, `listening on ${pod.status?.podIP}:8080`);
});

test('deleting a pod sends SIGTERM, then the pod disappears', async () => {
  await readyPod('client');
  await core().deleteNamespacedPod({ name: 'client', namespace: ns });
  await waitFor(
    'the client pod to be gone',
    async () =>
      (await core().listNamespacedPod({ namespace: ns, labelSelector: 'app=client' })).items.length === 0
        ? true
        : undefined,
    20_000,
  );
  assert.ok(existsSync(marker), 'the program saw SIGTERM');
  assert.match(readFileSync(marker, 'utf8'), 'client SIGTERM');
});

test('a program that ignores SIGTERM is SIGKILLed after the grace period, then the pod disappears', async () => {
  await core().createNamespacedPod({
    namespace: ns,
    body: {
      metadata: { name: 'stubborn', labels: { app: 'stubborn' } },
      spec: {
        ...onProcessNode,
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image: 'busybox:1', command: ['sh', '-c', 'trap "" TERM; sleep 300'] }],
      },
    },
  });
  await readyPod('stubborn');
  const t0 = Date.now();
  await core().deleteNamespacedPod({ name: 'stubborn', namespace: ns });
  await waitFor(
    'the stubborn pod to be gone',
    async () =>
      (await podsOf('stubborn')).length === 0 &&
      (await core().listNamespacedPod({ namespace: ns, labelSelector: 'app=stubborn' })).items.length === 0
        ? true
        : undefined,
    15_000,
  );
  assert.ok(Date.now() - t0 >= 1000, 'waited for the grace period');
});

test('pods with restartPolicy Never run to completion: Succeeded on exit 0, Failed otherwise', async () => {
  for (const [name, code] of [
    ['done-ok', 0],
    ['done-bad', 3],
  ] as const) {
    await core().createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name, labels: { app: name } },
        spec: {
          ...onProcessNode,
          restartPolicy: 'Never',
          containers: [{ name: 'c', image: 'busybox:1', command: ['sh', '-c', `echo bye; exit ${code}`] }],
        },
      },
    });
  }
  for (const [name, phase, code] of [
    ['done-ok', 'Succeeded', 0],
    ['done-bad', 'Failed', 3],
  ] as const) {
    const pod = await waitFor(
      `${name} to be ${phase}`,
      async () => {
        const p = await core().readNamespacedPod({ name, namespace: ns });
        return p.status?.phase === phase ? p : undefined;
      },
      20_000,
    );
    const t = pod.status?.containerStatuses?.[0]?.state?.terminated;
    assert.is(t?.exitCode, code, name);
    assert.is(t?.reason, code === 0 ? 'Completed' : 'Error');
    assert.is(pod.status?.containerStatuses?.[0]?.restartCount, 0);
  }
});

test('the process node image map resolves this repository', () => {
  assert.ok(existsSync(join(repoRoot, 'hack/process-node/images.json')));
});

test.run();
