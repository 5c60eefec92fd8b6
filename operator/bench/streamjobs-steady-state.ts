// Benchmark (not a test): N StreamJobs (default 500) on the test control plane with simulated pods (kwok),
// one operator process. Measures the time from the first create until every StreamJob is reconciled
// (finalizer, both Deployments carrying the status's plan hash, status written for the current generation)
// and the operator's resident memory (VmRSS of its process, sampled every 250 ms), then keeps it running for
// a while to see that it stays there. The JobManagers are unreachable (nothing runs in the pods), so every
// StreamJob stays DEPLOYED with its job RECONCILING and is polled, with backoff, on each resync.
//
//   eval "$(bash hack/test-env.sh env)"
//   node operator/bench/streamjobs-steady-state.ts [count=500] [hold seconds=45]
// OPERATOR_NODE_OPTIONS overrides the operator's NODE_OPTIONS ('' for Node's defaults).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';

const root = resolve(import.meta.dirname, '../..');
const count = Number(process.argv[2] ?? 500);
const holdSeconds = Number(process.argv[3] ?? 45);
if (!process.env.KUBECONFIG) throw new Error('set KUBECONFIG: eval "$(bash hack/test-env.sh env)"');

const kc = new KubeConfig();
kc.loadFromDefault();
const custom = kc.makeApiClient(CustomObjectsApi);
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const ns = `riffle-bench-${Date.now().toString(36)}`;
const group = { group: 'riffle.dev', version: 'v1alpha1', plural: 'streamjobs' };

type Sj = {
  metadata: { name: string; generation: number; finalizers?: string[] };
  status?: { observedGeneration?: number; lifecycleState?: string; deployment?: { planHash: string } };
};

async function pool<T>(items: T[], concurrency: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < items.length) await fn(items[i++]!);
    }),
  );
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

async function reconciledCount(): Promise<{ done: number; states: Record<string, number> }> {
  const list = (await custom.listNamespacedCustomObject({ ...group, namespace: ns })) as { items: Sj[] };
  const deployments = await apps.listNamespacedDeployment({ namespace: ns });
  const hashes = new Map(
    deployments.items.map((d) => [d.metadata!.name!, d.metadata?.annotations?.['riffle.dev/plan-hash']]),
  );
  const states: Record<string, number> = {};
  let done = 0;
  for (const j of list.items) {
    const s = j.status;
    states[s?.lifecycleState ?? 'none'] = (states[s?.lifecycleState ?? 'none'] ?? 0) + 1;
    const hash = s?.deployment?.planHash;
    if (
      s?.observedGeneration === j.metadata.generation &&
      j.metadata.finalizers?.includes('riffle.dev/final-savepoint') &&
      hash !== undefined &&
      hashes.get(`${j.metadata.name}-jobmanager`) === hash &&
      hashes.get(`${j.metadata.name}-taskmanager`) === hash
    )
      done++;
  }
  return { done, states };
}

async function main(): Promise<void> {
  // kubectl, not KubernetesObjectApi: client-node's model drops `default`, `enum` and `x-kubernetes-*` keys.
  execFileSync(process.env.KUBECTL ?? 'kubectl', [
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=riffle-bench',
    '-f',
    resolve(root, 'crds/streamjobs.riffle.dev.yaml'),
  ]);
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  for (;;) {
    const c = await ext.readCustomResourceDefinition({ name: 'streamjobs.riffle.dev' });
    if (c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await core.createNamespace({ body: { metadata: { name: ns } } });
  const metricsPort = await new Promise<number>((res) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
  const operator = spawn(process.execPath, [resolve(root, 'operator/src/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      // The heap settings docs/operator.md recommends for the operator's pod: without them V8 lets garbage
      // pile up to ~350 MB RSS at 500 StreamJobs (live data stays ~100 MB).
      NODE_OPTIONS: process.env.OPERATOR_NODE_OPTIONS ?? '--max-old-space-size=160 --max-semi-space-size=2',
      RIFFLE_WATCH_NAMESPACES: ns,
      RIFFLE_LEADER_ELECTION: 'false',
      RIFFLE_JOBMANAGER_URL_TEMPLATE: 'http://127.0.0.1:1',
      RIFFLE_METRICS_PORT: String(metricsPort),
      RIFFLE_HEALTH_PORT: '0',
      RIFFLE_LOG_LEVEL: 'warn',
    },
  });
  const pid = operator.pid!;
  process.on('exit', () => operator.kill('SIGKILL'));
  let maxRss = 0;
  const sampler = setInterval(() => {
    try {
      maxRss = Math.max(maxRss, rssMb(pid));
    } catch {}
  }, 250);
  await new Promise((r) => setTimeout(r, 1500)); // operator up and synced (empty namespace)
  const rssIdle = rssMb(pid);
  const t0 = Date.now();
  const names = Array.from({ length: count }, (_, i) => `sj-${String(i).padStart(4, '0')}`);
  await pool(names, 16, (name) =>
    custom.createNamespacedCustomObject({
      ...group,
      namespace: ns,
      body: {
        apiVersion: 'riffle.dev/v1alpha1',
        kind: 'StreamJob',
        metadata: { name },
        spec: {
          image: 'riffle:bench',
          job: { entryModule: 'examples/fraud-detection/job.ts', args: [] },
          taskManager: { replicas: 1, slots: 2 },
          checkpointing: { interval: '30s', storage: 's3://bench/checkpoints' },
          savepoints: { directory: 's3://bench/savepoints' },
        },
      },
    }),
  );
  const created = Date.now() - t0;
  let steady = -1;
  let last = { done: 0, states: {} as Record<string, number> };
  while (Date.now() - t0 < 180_000) {
    // The API server answers 429 while another client re-applies the CRD (storage re-initializing): retry.
    last = await reconciledCount().catch(() => last);
    if (last.done === count) {
      steady = Date.now() - t0;
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const rssAtSteady = rssMb(pid);
  const maxRssToSteady = maxRss;
  await new Promise((r) => setTimeout(r, holdSeconds * 1000));
  const after = await reconciledCount().catch(() => last);
  const rssAfterHold = rssMb(pid);
  clearInterval(sampler);
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const passes = Object.fromEntries(
    [
      ...metrics.matchAll(
        /^riffle_operator_(reconcile_total|actions_total)\{(?:result|kind)="([^"]+)"\} (\d+)/gm,
      ),
    ].map((m) => [`${m[1]}:${m[2]}`, Number(m[3])]),
  );
  operator.kill('SIGKILL');
  console.log(
    JSON.stringify(
      {
        streamJobs: count,
        createdAllMs: created,
        steadyStateMs: steady,
        stillReconciledAfterHold: after.done,
        lifecycle: after.states,
        rssMb: {
          idle: Math.round(rssIdle),
          atSteadyState: Math.round(rssAtSteady),
          maxUntilSteadyState: Math.round(maxRssToSteady),
          afterHold: Math.round(rssAfterHold),
          maxOverall: Math.round(maxRss),
        },
        holdSeconds,
        operator: passes,
      },
      null,
      2,
    ),
  );
  // Clean up: no operator any more, so drop the finalizers, then the namespace.
  const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  await pool(names, 16, (name) =>
    custom
      .patchNamespacedCustomObject(
        { ...group, namespace: ns, name, body: { metadata: { finalizers: [] } } },
        merge,
      )
      .catch(() => undefined),
  );
  await core.deleteNamespace({ name: ns });
}

main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
