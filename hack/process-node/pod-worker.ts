// One pod on the process node: prepares its sandbox and environment, starts each container's program,
// runs its probes, restarts containers per restartPolicy with backoff, reports the pod's status, and on
// deletion sends SIGTERM to every container, SIGKILL after the grace period, then finalizes the deletion.
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import type { V1ConfigMap, V1Container, V1Pod, V1Secret } from '@kubernetes/client-node';
import { runToCompletion, signalGroup, startProcess } from './container-process.ts';
import { type ImageMap, resolveCommand } from './image-map.ts';
import { type KubeApi, KubeApiError } from './kube-api.ts';
import { ContainerConfigError, type EnvSources, referencedObjects, resolveEnv } from './pod-env.ts';
import { type PodEventType, postPodEvent } from './pod-events.ts';
import { containerBinds, prepareSandbox, type Sandbox } from './pod-sandbox.ts';
import { type ContainerState, podStatus, type Terminated } from './pod-status.ts';
import { ProbeLoop } from './probes.ts';
import { type Backoff, nextCrashCount, restartDelayMs, shouldRestart } from './restart-policy.ts';

export type WorkerDeps = {
  readonly api: KubeApi;
  readonly imageMap: ImageMap;
  readonly stateDir: string;
  readonly hostIP: string;
  readonly nodeBin: string;
  readonly preload: string;
  readonly dnsFile: string;
  readonly kubeServer: URL;
  readonly backoff: Backoff;
  readonly nodeName: string;
  readonly log: (msg: string) => void;
};

type Ctr = {
  readonly spec: V1Container;
  child?: ChildProcess;
  state: ContainerState;
  lastTerminated?: Terminated;
  restartCount: number;
  crashes: number;
  ready: boolean;
  started: boolean;
  probes: ProbeLoop[];
  restartTimer?: NodeJS.Timeout;
  exited?: Promise<void>;
};

const SIGNALS = constants.signals as Record<string, number>;

export class PodWorker {
  pod: V1Pod;
  readonly podIP: string;
  readonly key: string;
  private readonly deps: WorkerDeps;
  private readonly containers: Ctr[];
  private readonly startTime = new Date();
  private sandbox: Sandbox | undefined;
  private sources: EnvSources | undefined;
  private terminating = false;
  private stopped = false;
  private patchTimer: NodeJS.Timeout | undefined;
  private lastPosted = '';
  private prepareTimer: NodeJS.Timeout | undefined;
  private prepareFailures = 0;

  constructor(deps: WorkerDeps, pod: V1Pod, podIP: string) {
    this.deps = deps;
    this.pod = pod;
    this.podIP = podIP;
    this.key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    const previous = pod.status?.containerStatuses ?? [];
    this.containers = (pod.spec?.containers ?? []).map((spec) => ({
      spec,
      state: { kind: 'waiting', reason: 'ContainerCreating' },
      restartCount: previous.find((s) => s.name === spec.name)?.restartCount ?? 0,
      crashes: 0,
      ready: false,
      started: false,
      probes: [],
    }));
  }

  private event(type: PodEventType, reason: string, message: string, container?: string): void {
    postPodEvent(
      this.deps.api,
      this.deps.log,
      this.pod,
      this.deps.nodeName,
      type,
      reason,
      message,
      container,
      new Date(),
    );
  }

  get dir(): string {
    const m = this.pod.metadata;
    return join(this.deps.stateDir, 'pods', `${m?.namespace}_${m?.name}_${m?.uid}`);
  }

  /** The log file of a container's run number `restart` (0 = first run). */
  logFile(container: string, restart: number): string {
    return join(this.dir, container, `${restart}.log`);
  }

  containerRestartCount(container: string): number | undefined {
    return this.containers.find((c) => c.spec.name === container)?.restartCount;
  }

  start(): void {
    const phase = this.pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return; // terminal pods never run again
    void this.prepareAndRun();
  }

  private async prepareAndRun(): Promise<void> {
    if (this.stopped || this.terminating) return;
    try {
      const refs = referencedObjects(this.pod);
      const ns = this.pod.metadata?.namespace ?? 'default';
      const configMaps = new Map<string, Record<string, string>>();
      const secrets = new Map<string, Record<string, string>>();
      for (const key of refs.configMaps) {
        const cm = await this.getOptional<V1ConfigMap>(
          `/api/v1/namespaces/${ns}/configmaps/${key.split('/')[1]}`,
        );
        if (cm === undefined) continue;
        const binary = Object.fromEntries(
          Object.entries(cm.binaryData ?? {}).map(([k, v]) => [
            k,
            Buffer.from(v, 'base64').toString('latin1'),
          ]),
        );
        configMaps.set(key, { ...(cm.data ?? {}), ...binary });
      }
      for (const key of refs.secrets) {
        const s = await this.getOptional<V1Secret>(`/api/v1/namespaces/${ns}/secrets/${key.split('/')[1]}`);
        if (s === undefined) continue;
        secrets.set(
          key,
          Object.fromEntries(
            Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
          ),
        );
      }
      this.sources = {
        configMaps,
        secrets,
        podIP: this.podIP,
        hostIP: this.deps.hostIP,
        nodeCpu: 8,
        nodeMemory: 32 * 1024 ** 3,
      };
      this.sandbox = await prepareSandbox(
        this.deps.api,
        this.pod,
        this.dir,
        { configMaps, secrets },
        this.sources,
      );
      // Validate every container's config before starting any (CreateContainerConfigError otherwise).
      for (const c of this.containers) this.processSpec(c);
    } catch (error) {
      const message = (error as Error).message;
      const reason =
        error instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'CreateContainerError';
      this.deps.log(`${this.key}: ${reason}: ${message} (retrying in 2 s)`);
      for (const c of this.containers) c.state = { kind: 'waiting', reason, message };
      if (this.prepareFailures++ % 15 === 0) this.event('Warning', 'Failed', `Error: ${message}`);
      this.schedulePatch();
      this.prepareTimer = setTimeout(() => void this.prepareAndRun(), 2000);
      return;
    }
    for (const c of this.containers) this.startContainer(c);
  }

  private async getOptional<T>(path: string): Promise<T | undefined> {
    try {
      return await this.deps.api.request<T>('GET', path);
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  private baseEnv(): Record<string, string> {
    const m = this.pod.metadata;
    return {
      PATH: `${dirname(this.deps.nodeBin)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      HOME: process.env.HOME ?? '/root',
      HOSTNAME: this.pod.spec?.hostname ?? m?.name ?? '',
      KUBERNETES_SERVICE_HOST: this.deps.kubeServer.hostname,
      KUBERNETES_SERVICE_PORT: this.deps.kubeServer.port || '443',
      KUBERNETES_SERVICE_PORT_HTTPS: this.deps.kubeServer.port || '443',
      RIFFLE_PN_POD_IP: this.podIP,
      RIFFLE_PN_POD_NAMESPACE: m?.namespace ?? 'default',
      RIFFLE_PN_DNS_FILE: this.deps.dnsFile,
      RIFFLE_PN_AGENT_PID: String(process.pid),
    };
  }

  private processSpec(c: Ctr) {
    const sources = this.sources!;
    const env = resolveEnv(this.pod, c.spec, sources);
    const base = this.baseEnv();
    const cmd = resolveCommand(this.deps.imageMap, c.spec, { ...base, ...env });
    const all: Record<string, string> = { ...base, ...cmd.env, ...env };
    const preload = `--import=${this.deps.preload}`;
    all.NODE_OPTIONS = all.NODE_OPTIONS ? `${preload} ${all.NODE_OPTIONS}` : preload;
    return { argv: cmd.argv, cwd: cmd.workingDir, env: all, binds: containerBinds(c.spec, this.sandbox!) };
  }

  private startContainer(c: Ctr): void {
    if (this.stopped || this.terminating) return;
    const spec = this.processSpec(c);
    const logFile = this.logFile(c.spec.name, c.restartCount);
    const child = startProcess(spec, logFile);
    const startedAt = new Date();
    c.child = child;
    c.state = { kind: 'running', startedAt };
    c.started = c.spec.startupProbe === undefined;
    c.ready = c.spec.readinessProbe === undefined && c.started;
    this.deps.log(
      `${this.key}/${c.spec.name}: started pid ${child.pid} (${spec.argv.join(' ')}), log ${logFile}`,
    );
    this.event('Normal', 'Started', `Started container ${c.spec.name} (pid ${child.pid})`, c.spec.name);
    c.exited = new Promise<void>((resolve) => {
      child.on('error', (error) => {
        this.deps.log(`${this.key}/${c.spec.name}: could not start: ${error.message}`);
      });
      child.on('close', (code, signal) => {
        this.onExit(c, startedAt, code, signal);
        resolve();
      });
    });
    this.startProbes(c);
    this.schedulePatch();
  }

  private startProbes(c: Ctr): void {
    const spec = c.spec;
    const ctx = {
      podIP: this.podIP,
      ports: spec.ports ?? [],
      exec: (argv: readonly string[], timeoutMs: number) =>
        runToCompletion({ ...this.processSpec(c), argv }, timeoutMs),
    };
    const startRest = () => {
      if (spec.readinessProbe) {
        c.probes.push(
          new ProbeLoop(
            spec.readinessProbe,
            ctx,
            (ok) => {
              c.ready = ok;
              if (!ok) this.event('Warning', 'Unhealthy', 'Readiness probe failed', c.spec.name);
              this.schedulePatch();
            },
            true,
          ),
        );
      }
      if (spec.livenessProbe) {
        c.probes.push(
          new ProbeLoop(spec.livenessProbe, ctx, (ok) => {
            if (ok || c.child === undefined) return;
            this.deps.log(`${this.key}/${c.spec.name}: liveness probe failed, killing`);
            this.event(
              'Warning',
              'Unhealthy',
              'Liveness probe failed; the container will be restarted',
              c.spec.name,
            );
            void this.stopContainer(c, this.graceSeconds());
          }),
        );
      }
      for (const p of c.probes) p.start();
    };
    if (spec.startupProbe) {
      const startup = new ProbeLoop(
        spec.startupProbe,
        ctx,
        (ok) => {
          if (!ok) {
            void this.stopContainer(c, this.graceSeconds());
            return;
          }
          startup.stop();
          c.started = true;
          if (!spec.readinessProbe) c.ready = true;
          startRest();
          this.schedulePatch();
        },
        true,
      );
      c.probes.push(startup);
      startup.start();
    } else {
      startRest();
    }
  }

  private onExit(c: Ctr, startedAt: Date, code: number | null, signal: NodeJS.Signals | null): void {
    for (const p of c.probes) p.stop();
    c.probes = [];
    c.child = undefined;
    c.ready = false;
    const finishedAt = new Date();
    const exitCode = code ?? 128 + (signal === null ? 0 : (SIGNALS[signal] ?? 0));
    const terminated: Terminated = {
      exitCode,
      ...(signal === null ? {} : { signal: SIGNALS[signal] ?? 0 }),
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt,
      finishedAt,
    };
    this.deps.log(`${this.key}/${c.spec.name}: exited with ${signal ?? `code ${code}`}`);
    if (this.terminating || this.stopped || !shouldRestart(this.pod.spec?.restartPolicy, exitCode)) {
      c.state = { kind: 'terminated', ...terminated };
      this.schedulePatch();
      return;
    }
    c.crashes = nextCrashCount(c.crashes, finishedAt.getTime() - startedAt.getTime(), this.deps.backoff);
    const delay = restartDelayMs(c.crashes, this.deps.backoff);
    c.lastTerminated = terminated;
    this.event(
      'Warning',
      'BackOff',
      `Back-off ${Math.round(delay / 1000)}s restarting failed container ${c.spec.name} (exit ${exitCode})`,
      c.spec.name,
    );
    c.state = {
      kind: 'waiting',
      reason: 'CrashLoopBackOff',
      message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.spec.name} pod=${this.pod.metadata?.name}`,
    };
    this.schedulePatch();
    c.restartTimer = setTimeout(() => {
      c.restartTimer = undefined;
      c.restartCount++;
      this.startContainer(c);
    }, delay);
  }

  private graceSeconds(): number {
    return (
      this.pod.metadata?.deletionGracePeriodSeconds ?? this.pod.spec?.terminationGracePeriodSeconds ?? 30
    );
  }

  /** SIGTERM, then SIGKILL after graceSeconds; resolves when the program has exited. */
  private async stopContainer(c: Ctr, graceSeconds: number): Promise<void> {
    if (c.restartTimer !== undefined) {
      clearTimeout(c.restartTimer);
      c.restartTimer = undefined;
    }
    const child = c.child;
    if (child === undefined) return;
    signalGroup(child, 'SIGTERM');
    const killer = setTimeout(() => {
      this.deps.log(`${this.key}/${c.spec.name}: still running after ${graceSeconds}s grace, SIGKILL`);
      signalGroup(child, 'SIGKILL');
    }, graceSeconds * 1000);
    await c.exited;
    clearTimeout(killer);
  }

  /** A newer version of the pod from the API; a deletionTimestamp starts graceful termination. */
  update(pod: V1Pod): void {
    this.pod = pod;
    if (pod.metadata?.deletionTimestamp !== undefined && !this.terminating) void this.terminate();
  }

  private async terminate(): Promise<void> {
    this.terminating = true;
    if (this.prepareTimer !== undefined) clearTimeout(this.prepareTimer);
    const grace = this.graceSeconds();
    this.deps.log(`${this.key}: deleting, SIGTERM to its containers (grace ${grace}s)`);
    for (const c of this.containers)
      if (c.child !== undefined)
        this.event('Normal', 'Killing', `Stopping container ${c.spec.name} (grace ${grace}s)`, c.spec.name);
    await Promise.all(this.containers.map((c) => this.stopContainer(c, grace)));
    await this.flushStatus().catch(() => undefined);
    try {
      await this.deps.api.request(
        'DELETE',
        `/api/v1/namespaces/${this.pod.metadata?.namespace}/pods/${this.pod.metadata?.name}`,
        {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          gracePeriodSeconds: 0,
          preconditions: { uid: this.pod.metadata?.uid },
        },
      );
      this.deps.log(`${this.key}: deleted`);
    } catch (error) {
      if (!(error instanceof KubeApiError && (error.status === 404 || error.status === 409))) {
        this.deps.log(`${this.key}: finalizing the deletion failed: ${(error as Error).message}`);
      }
    }
  }

  /** The pod is gone from the API (or the agent stops): stop everything, report nothing more. */
  async stop(graceSeconds: number): Promise<void> {
    this.stopped = true;
    if (this.prepareTimer !== undefined) clearTimeout(this.prepareTimer);
    if (this.patchTimer !== undefined) clearTimeout(this.patchTimer);
    await Promise.all(this.containers.map((c) => this.stopContainer(c, graceSeconds)));
  }

  /** Pids of running programs (for the agent's pid file, so `process-node.sh down` can reap them). */
  pids(): number[] {
    return this.containers.flatMap((c) => (c.child?.pid === undefined ? [] : [c.child.pid]));
  }

  private schedulePatch(): void {
    if (this.stopped || this.patchTimer !== undefined) return;
    this.patchTimer = setTimeout(() => {
      this.patchTimer = undefined;
      this.flushStatus().catch((error) => {
        if (error instanceof KubeApiError && error.status === 404) return; // the pod is gone
        this.deps.log(`${this.key}: status update failed: ${(error as Error).message}`);
        setTimeout(() => this.schedulePatch(), 1000);
      });
    }, 30);
  }

  private async flushStatus(): Promise<void> {
    if (this.stopped) return;
    const status = podStatus({
      pod: this.pod,
      containers: this.containers.map((c) => ({
        name: c.spec.name,
        image: c.spec.image ?? '',
        state: c.state,
        ...(c.lastTerminated === undefined ? {} : { lastTerminated: c.lastTerminated }),
        restartCount: c.restartCount,
        ready: c.ready,
        started: c.started,
        ...(c.child?.pid === undefined ? {} : { containerID: `process://${c.child.pid}` }),
      })),
      podIP: this.podIP,
      hostIP: this.deps.hostIP,
      startTime: this.pod.status?.startTime ?? this.startTime,
      now: new Date(),
    });
    const json = JSON.stringify(status);
    if (json === this.lastPosted) return;
    const m = this.pod.metadata;
    const updated = await this.deps.api.request<V1Pod>(
      'PATCH',
      `/api/v1/namespaces/${m?.namespace}/pods/${m?.name}/status`,
      { status },
      'application/merge-patch+json',
    );
    this.lastPosted = json;
    this.pod = { ...this.pod, status: updated.status };
  }
}
