// Test fixture for the operator against the real control plane: a namespace, the generated CRD, operator
// processes (`node operator/src/main.ts`, stopped by PID), the process kubelet, and StreamJob helpers.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { freePort } from '../cluster/local-cluster.ts';
import { loadTestEnv, repoRoot, uniqueName, waitFor } from '../test-env.ts';
import { ProcessKubelet } from './process-kubelet.ts';

const run = promisify(execFile);
export const JOB_MODULE = 'test/fixtures/jobs/exactly-once-count.ts';

export type StreamJobObject = {
  metadata: { name: string; namespace: string; uid: string; generation: number; finalizers?: string[] };
  spec: Record<string, unknown> & { jobManager?: { port?: number } };
  status?: {
    lifecycleState?: string;
    observedGeneration?: number;
    parallelism?: number;
    job?: {
      jobId?: string;
      state?: string;
      upgradeSavepointPath?: string;
      lastSavepoint?: { path: string; kind: string };
    };
    upgrade?: { phase: string };
    pendingSavepoint?: { triggerId: string; kind: string };
    deployment?: { jobId: string; restoreFrom?: string; mode: string };
    savepointHistory?: { path: string }[];
    conditions?: { type: string; status: string; reason: string; message: string }[];
    taskManager?: { replicas: number };
  };
};

export type OperatorProcess = { child: ChildProcess; log: string; identity: string };

export class OperatorFixture {
  readonly kc = new KubeConfig();
  readonly namespace = uniqueName('riffle-op');
  readonly dir = mkdtempSync(join(tmpdir(), 'riffle-operator-it-'));
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly kubelet: ProcessKubelet;
  readonly operators: OperatorProcess[] = [];

  constructor() {
    this.kc.loadFromFile(loadTestEnv().kubeconfig);
    this.custom = this.kc.makeApiClient(CustomObjectsApi);
    this.core = this.kc.makeApiClient(CoreV1Api);
    this.apps = this.kc.makeApiClient(AppsV1Api);
    this.kubelet = new ProcessKubelet(this.kc, this.namespace, join(this.dir, 'pods'));
  }

  async setUp(): Promise<void> {
    // kubectl, not KubernetesObjectApi: client-node serializes through its V1JSONSchemaProps model, which
    // silently drops `default`, `enum` and `x-kubernetes-*` keys written with their JSON names.
    await this.kubectl([
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=riffle-it',
      '-f',
      join(repoRoot, 'crds/streamjobs.riffle.dev.yaml'),
    ]);
    const ext = this.kc.makeApiClient(ApiextensionsV1Api);
    await waitFor('the StreamJob CRD to be established', async () => {
      const c = await ext.readCustomResourceDefinition({ name: 'streamjobs.riffle.dev' });
      return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')
        ? true
        : undefined;
    });
    await this.core.createNamespace({ body: { metadata: { name: this.namespace } } });
    this.kubelet.start();
  }

  startOperator(extraEnv: Record<string, string> = {}): OperatorProcess {
    const identity = `op-${this.operators.length + 1}`;
    const log = join(this.dir, `${identity}.log`);
    const out = createWriteStream(log);
    const child = spawn(process.execPath, [join(repoRoot, 'operator/src/main.ts')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KUBECONFIG: loadTestEnv().kubeconfig,
        RIFFLE_WATCH_NAMESPACES: this.namespace,
        RIFFLE_OPERATOR_NAMESPACE: this.namespace,
        RIFFLE_JOBMANAGER_URL_TEMPLATE: 'http://127.0.0.1:{port}',
        RIFFLE_METRICS_PORT: '0',
        RIFFLE_HEALTH_PORT: '0',
        RIFFLE_RESYNC_SECONDS: '1',
        POD_NAME: identity,
        RIFFLE_LOG_LEVEL: 'debug',
        ...extraEnv,
      },
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    const p = { child, log, identity };
    this.operators.push(p);
    return p;
  }

  async stopOperator(p: OperatorProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await new Promise<void>((resolve) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
      p.child.once('exit', () => resolve());
      p.child.kill(signal);
    });
  }

  operatorLog(p: OperatorProcess): { msg: string; time: string; reason?: string }[] {
    return readFileSync(p.log, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; time: string; reason?: string });
  }

  /** A StreamJob running the exactly-once counting job with file:// checkpoints and savepoints. */
  async streamJobManifest(
    name: string,
    patch: (spec: Record<string, unknown>) => void = () => {},
  ): Promise<StreamJobObject> {
    const base = join(this.dir, name);
    const spec: Record<string, unknown> = {
      image: 'riffle:test',
      job: {
        entryModule: JOB_MODULE,
        args: [join(base, 'out'), join(base, 'job-checkpoints'), '100000000', '400', '8'],
      },
      jobManager: { port: await freePort() },
      taskManager: { replicas: 1, slots: 1 },
      checkpointing: { interval: '300ms', storage: join(base, 'checkpoints') },
      savepoints: { directory: join(base, 'savepoints'), timeout: '30s' },
    };
    patch(spec);
    return { metadata: { name, namespace: this.namespace } as StreamJobObject['metadata'], spec };
  }

  async create(job: StreamJobObject): Promise<void> {
    await this.custom.createNamespacedCustomObject({
      group: 'riffle.dev',
      version: 'v1alpha1',
      namespace: this.namespace,
      plural: 'streamjobs',
      body: {
        apiVersion: 'riffle.dev/v1alpha1',
        kind: 'StreamJob',
        metadata: { name: job.metadata.name },
        spec: job.spec,
      },
    });
  }

  async get(name: string): Promise<StreamJobObject | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({
        group: 'riffle.dev',
        version: 'v1alpha1',
        namespace: this.namespace,
        plural: 'streamjobs',
        name,
      })) as StreamJobObject;
    } catch (e) {
      if ((e as { code?: number }).code === 404) return undefined;
      throw e;
    }
  }

  async patchSpec(name: string, spec: Record<string, unknown>): Promise<void> {
    await this.custom.patchNamespacedCustomObject(
      {
        group: 'riffle.dev',
        version: 'v1alpha1',
        namespace: this.namespace,
        plural: 'streamjobs',
        name,
        body: { spec },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  async kubectl(args: string[]): Promise<string> {
    const env = loadTestEnv();
    const { stdout } = await run(env.kubectl, [
      '--kubeconfig',
      env.kubeconfig,
      '-n',
      this.namespace,
      ...args,
    ]);
    return stdout;
  }

  async waitForStatus(
    name: string,
    what: string,
    check: (j: StreamJobObject) => boolean,
    timeoutMs = 120_000,
  ): Promise<StreamJobObject> {
    let last: StreamJobObject | undefined;
    return waitFor(
      `${name}: ${what}`,
      async () => {
        last = await this.get(name);
        return last !== undefined && check(last) ? last : undefined;
      },
      timeoutMs,
      100,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nstatus: ${JSON.stringify(last?.status)}\n${this.diagnostics()}`);
    });
  }

  async events(name: string): Promise<{ reason: string; message: string; type: string }[]> {
    const list = await this.core.listNamespacedEvent({
      namespace: this.namespace,
      fieldSelector: `involvedObject.name=${name}`,
    });
    return list.items
      .sort(
        (a, b) =>
          String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)) ||
          (a.metadata?.resourceVersion ?? '').localeCompare(b.metadata?.resourceVersion ?? '', undefined, {
            numeric: true,
          }),
      )
      .map((e) => ({ reason: e.reason ?? '', message: e.message ?? '', type: e.type ?? '' }));
  }

  diagnostics(): string {
    const ops = this.operators.map((o) => {
      let text = '';
      try {
        text = readFileSync(o.log, 'utf8').trim().split('\n').slice(-25).join('\n');
      } catch {}
      return `--- operator ${o.identity} ---\n${text}`;
    });
    return [...ops, this.kubelet.logs()].join('\n');
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.operators.map((o) => this.stopOperator(o, 'SIGKILL')));
    await this.kubelet.stop();
    // Let the namespace go even though no operator removes the finalizers any more (retried: the API server
    // answers 429 while another client re-applies the CRD).
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    for (let attempt = 0; attempt < 20; attempt++) {
      const list = (await this.custom
        .listNamespacedCustomObject({
          group: 'riffle.dev',
          version: 'v1alpha1',
          namespace: this.namespace,
          plural: 'streamjobs',
        })
        .catch(() => undefined)) as { items: StreamJobObject[] } | undefined;
      const held = list?.items.filter((j) => (j.metadata.finalizers ?? []).length > 0);
      if (held !== undefined && held.length === 0) break;
      for (const j of held ?? []) {
        await this.custom
          .patchNamespacedCustomObject(
            {
              group: 'riffle.dev',
              version: 'v1alpha1',
              namespace: this.namespace,
              plural: 'streamjobs',
              name: j.metadata.name,
              body: { metadata: { finalizers: [] } },
            },
            merge,
          )
          .catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    await this.core.deleteNamespace({ name: this.namespace }).catch(() => undefined);
  }
}

/** Committed output of the counting job: count values per key (exactly once: no value twice). */
export function committedCounts(outDir: string): Map<number, number[]> {
  const byKey = new Map<number, number[]>();
  let files: string[] = [];
  try {
    files = readdirSync(outDir);
  } catch {
    return byKey;
  }
  for (const f of files.filter((x) => x.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(outDir, f), 'utf8').split('\n')) {
      if (line === '') continue;
      const r = JSON.parse(line) as { key: number; count: number };
      byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.count]);
    }
  }
  return byKey;
}
