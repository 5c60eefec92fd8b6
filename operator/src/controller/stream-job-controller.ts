// The StreamJob controller: informers (StreamJobs, the children's Deployments, JobManager pods) feed a keyed,
// coalescing, rate-limited work queue; each pass for a key is observe → decide (pure) → act → one status
// patch. The StreamJob itself is read fresh at the start of a pass (the write-ahead status must never be
// stale); the status patch is guarded by the resourceVersion the pass read, so a concurrent change means a
// conflict and a new pass, never a lost update. A pending savepoint only schedules a later pass for its key,
// so it never blocks other StreamJobs.
import {
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  makeInformer,
  type ObjectCache,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import { GROUP, PLURAL, type StreamJob, VERSION } from '../api/stream-job.ts';
import { isConflict, type KubeClient, listFns } from '../kube/kube-client.ts';
import { runWorkers, WorkQueue } from '../kube/work-queue.ts';
import { DEFAULT_DECIDE_OPTIONS, decide } from '../reconcile/decide.ts';
import type { Action } from '../reconcile/decision.ts';
import {
  COMPONENT_LABEL,
  MANAGED_SELECTOR,
  PLAN_HASH_ANNOTATION,
  STREAMJOB_LABEL,
} from '../resources/labels.ts';
import { act } from './act.ts';
import type { Logger } from './log.ts';
import { type ChildCache, jobManagerProblem, observe } from './observe.ts';
import type { OperatorConfig } from './operator-config.ts';
import type { OperatorMetrics } from './operator-metrics.ts';
import { mergePatch } from './status-merge-patch.ts';

type Cached<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

export type ControllerDeps = {
  readonly kc: KubeConfig;
  readonly kube: KubeClient;
  readonly config: OperatorConfig;
  readonly log: Logger;
  readonly metrics: OperatorMetrics;
  readonly now?: () => number;
};

export class StreamJobController {
  readonly #deps: ControllerDeps;
  readonly #queue = new WorkQueue();
  readonly #informers: Cached<KubernetesObject>[] = [];
  readonly #deployments: Cached<V1Deployment>[] = [];
  readonly #pods: Cached<V1Pod>[] = [];
  readonly #lifecycle = new Map<string, string>();
  readonly #recentEvents = new Map<string, number>();
  readonly #seenJobs = new Map<string, string>();
  readonly #jobs: Cached<KubernetesObject>[] = [];
  /** The resourceVersion our last write of a StreamJob returned ('' after a conflict: read it fresh). */
  readonly #written = new Map<string, string>();
  readonly #seenChildren = new Map<string, string>();
  #workers: Promise<void> | undefined;
  #stopped = false;
  synced = false;

  constructor(deps: ControllerDeps) {
    this.#deps = deps;
  }

  get queueDepth(): number {
    return this.#queue.length;
  }

  async start(): Promise<void> {
    const { kc, config } = this.#deps;
    const lists = listFns(kc);
    const namespaces: (string | undefined)[] =
      config.watchNamespaces.length === 0 ? [undefined] : [...config.watchNamespaces];
    const jmPods = `${MANAGED_SELECTOR},${COMPONENT_LABEL}=jobmanager`;
    for (const ns of namespaces) {
      const scope = ns === undefined ? '' : `/namespaces/${ns}`;
      const jobs = makeInformer<KubernetesObject>(
        kc,
        `/apis/${GROUP}/${VERSION}${scope}/${PLURAL}`,
        lists.streamJobs(ns),
      );
      const enqueueJob = (o: KubernetesObject) =>
        this.#queue.add(`${o.metadata?.namespace}/${o.metadata?.name}`);
      jobs.on('add', enqueueJob);
      // Our own status and finalizer writes come back as updates: only a new generation, a deletion or an
      // annotation change needs a pass (the resync and requeues cover the rest).
      jobs.on('update', (o) => {
        const before = this.#seenJobs.get(`${o.metadata?.namespace}/${o.metadata?.name}`);
        const now = jobTrigger(o);
        this.#seenJobs.set(`${o.metadata?.namespace}/${o.metadata?.name}`, now);
        if (before !== now) enqueueJob(o);
      });
      jobs.on('delete', (o) => {
        this.#lifecycle.delete(`${o.metadata?.namespace}/${o.metadata?.name}`);
        this.#seenJobs.delete(`${o.metadata?.namespace}/${o.metadata?.name}`);
        this.#written.delete(`${o.metadata?.namespace}/${o.metadata?.name}`);
      });
      const deployments = makeInformer<V1Deployment>(
        kc,
        `/apis/apps/v1${scope}/deployments`,
        lists.deployments(ns, MANAGED_SELECTOR),
        MANAGED_SELECTOR,
      );
      const pods = makeInformer<V1Pod>(kc, `/api/v1${scope}/pods`, lists.pods(ns, jmPods), jmPods);
      const enqueueOwner = (o: KubernetesObject) => {
        const owner = o.metadata?.labels?.[STREAMJOB_LABEL];
        if (owner !== undefined) this.#queue.add(`${o.metadata?.namespace}/${owner}`);
      };
      for (const inf of [deployments, pods] as Cached<KubernetesObject>[]) {
        inf.on('add', enqueueOwner);
        inf.on('delete', enqueueOwner);
      }
      // Deployment status churn (replica counts) does not matter to decide(); a new plan hash does.
      deployments.on('update', (d) => {
        const key = `${d.metadata?.namespace}/${d.metadata?.name}`;
        const hash = d.metadata?.annotations?.[PLAN_HASH_ANNOTATION] ?? '';
        if (this.#seenChildren.get(key) !== hash) enqueueOwner(d);
        this.#seenChildren.set(key, hash);
      });
      // A JobManager pod matters when its problem (CrashLoopBackOff, ...) appears or goes away.
      pods.on('update', (p) => {
        const key = `${p.metadata?.namespace}/${p.metadata?.name}`;
        const problem = jobManagerProblem([p]) ?? '';
        if (this.#seenChildren.get(key) !== problem) enqueueOwner(p);
        this.#seenChildren.set(key, problem);
      });
      this.#informers.push(jobs, deployments as Cached<KubernetesObject>, pods as Cached<KubernetesObject>);
      this.#jobs.push(jobs);
      this.#deployments.push(deployments);
      this.#pods.push(pods);
    }
    for (const inf of this.#informers) this.#restartOnError(inf);
    await Promise.all(this.#informers.map((i) => i.start()));
    this.synced = true;
    this.#deps.log.info('Informers synced', {
      namespaces: config.watchNamespaces.length === 0 ? 'all' : config.watchNamespaces,
    });
    this.#workers = runWorkers(this.#queue, config.workers, (key) => this.#process(key));
  }

  /** Informers stop on any error but 410; restart them with backoff (client-node does not). */
  #restartOnError(inf: Cached<KubernetesObject>): void {
    let delay = 1000;
    inf.on('connect', () => {
      delay = 1000;
    });
    inf.on('error', (e: unknown) => {
      if (this.#stopped) return;
      this.#deps.log.warn('Watch failed; restarting', {
        error: String((e as Error)?.message ?? e),
        delayMs: delay,
      });
      setTimeout(() => {
        if (!this.#stopped) inf.start().catch(() => undefined);
      }, delay).unref();
      delay = Math.min(delay * 2, 30_000);
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#queue.shutdown();
    await Promise.all(this.#informers.map((i) => i.stop().catch(() => undefined)));
    await this.#workers;
  }

  #cache(): ChildCache {
    return {
      deployment: (namespace, name) => {
        for (const d of this.#deployments) {
          const found = d.get(name, namespace);
          if (found !== undefined) return found;
        }
        return undefined;
      },
      jobManagerPods: (namespace, streamJob) =>
        this.#pods
          .flatMap((p) => p.list(namespace))
          .filter((pod) => pod.metadata?.labels?.[STREAMJOB_LABEL] === streamJob),
    };
  }

  async #process(key: string): Promise<void> {
    const { metrics, log } = this.#deps;
    metrics.queueDepth.set(this.#queue.length);
    const end = metrics.reconcileSeconds.startTimer();
    try {
      const requeue = await this.reconcile(key);
      this.#queue.forget(key);
      if (requeue !== undefined) this.#queue.addAfter(key, requeue);
      metrics.reconciles.inc({ result: 'success' });
    } catch (e) {
      const conflict = isConflict(e);
      if (conflict) this.#written.set(key, '');
      metrics.reconciles.inc({ result: conflict ? 'conflict' : 'error' });
      const delay = this.#queue.addRateLimited(key);
      if (conflict) log.debug('StreamJob changed during the pass; retrying', { key });
      else log.warn('Reconcile failed', { key, error: (e as Error).message, retryInMs: delay });
    } finally {
      end();
    }
  }

  /** One pass for one StreamJob; returns when to look again (ms), or undefined when it is gone. */
  async reconcile(key: string): Promise<number | undefined> {
    const { kube, config, log, metrics } = this.#deps;
    const now = this.#deps.now ?? Date.now;
    const [namespace, name] = key.split('/') as [string, string];
    const t0 = now();
    const job = (this.#fromCache(key, namespace, name) ?? (await kube.getStreamJob(namespace, name))) as
      | StreamJob
      | undefined;
    if (job === undefined) {
      this.#lifecycle.delete(key);
      this.#updateLifecycleGauge();
      return undefined;
    }
    const t1 = now();
    const observed = await observe(job, this.#cache(), config.jobManagerUrlTemplate);
    const t2 = now();
    const decision = decide({
      job,
      observed,
      now: now(),
      options: { ...DEFAULT_DECIDE_OPTIONS, resyncMs: config.resyncMs },
    });
    const onAction = (a: Action) => {
      metrics.actions.inc({ kind: a.kind });
      if (a.kind === 'event') log.info(a.message, { streamjob: key, reason: a.reason, type: a.type });
      else if (a.kind !== 'apply-children')
        log.info(`Action ${a.kind}`, { streamjob: key, ...actionFields(a) });
      else
        log.info('Applied children', {
          streamjob: key,
          jobId: a.plan.jobId,
          planHash: a.planHash,
          running: a.plan.running,
        });
    };
    const rv = await act(job, decision.actions, {
      kube,
      urlTemplate: config.jobManagerUrlTemplate,
      identity: config.identity,
      recentEvents: this.#recentEvents,
      now,
      onAction,
    });
    if (decision.actions.some((a) => a.kind === 'remove-finalizer')) return undefined; // the object goes away
    const t3 = now();
    const patch = mergePatch(job.status ?? {}, decision.status);
    this.#written.set(
      key,
      patch === undefined ? rv : await kube.patchStatus(job, rv, patch as Record<string, unknown>),
    );
    log.debug('Reconciled', {
      streamjob: key,
      getMs: t1 - t0,
      observeMs: t2 - t1,
      actMs: t3 - t2,
      patchMs: now() - t3,
      actions: decision.actions.length,
      requeueMs: decision.requeueAfterMs,
      patched: patch !== undefined,
    });
    this.#lifecycle.set(key, decision.status.lifecycleState ?? 'CREATED');
    this.#updateLifecycleGauge();
    return decision.requeueAfterMs;
  }

  /**
   * The informer's copy when it is known to be current: it carries the resourceVersion of our own last write
   * (or we never wrote it). A lagging cache is never used; a stale read elsewhere is caught by the
   * resourceVersion guard of the status patch (409, then a fresh read).
   */
  #fromCache(key: string, namespace: string, name: string): StreamJob | undefined {
    const written = this.#written.get(key);
    if (written === '') return undefined;
    for (const inf of this.#jobs) {
      const cached = inf.get(name, namespace) as unknown as StreamJob | undefined;
      if (cached === undefined) continue;
      if (written === undefined || written === cached.metadata.resourceVersion)
        return structuredClone(cached);
    }
    return undefined;
  }

  #updateLifecycleGauge(): void {
    const counts = new Map<string, number>();
    for (const s of this.#lifecycle.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
    this.#deps.metrics.streamJobs.reset();
    for (const [state, n] of counts) this.#deps.metrics.streamJobs.set({ lifecycle_state: state }, n);
  }

  /** How many StreamJobs have been through at least one pass, by lifecycle state (benchmark, tests). */
  lifecycleCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.#lifecycle.values()) out[s] = (out[s] ?? 0) + 1;
    return out;
  }
}

function actionFields(a: Action): Record<string, unknown> {
  if (a.kind === 'trigger-savepoint')
    return { jobId: a.jobId, triggerId: a.triggerId, stop: a.stop, directory: a.directory };
  return {};
}

/** What about a StreamJob update deserves a pass: generation, deletion, annotations. */
function jobTrigger(o: KubernetesObject): string {
  const m = o.metadata;
  return JSON.stringify([m?.generation, m?.deletionTimestamp, m?.annotations ?? {}]);
}
