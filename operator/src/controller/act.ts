// Carries out decide()'s actions for one StreamJob, in order: finalizers, server-side apply of the children,
// savepoint triggers on the JobManager, Events. Every action is idempotent (apply, deterministic trigger ids),
// so a pass repeated after a crash or a conflict does no harm.
import { RestClient } from '@riffle/runtime/rest';
import { FINALIZER, type StreamJob } from '../api/stream-job.ts';
import type { StreamJobSpec } from '../api/stream-job-spec.ts';
import type { EventRecord, KubeClient } from '../kube/kube-client.ts';
import type { Action } from '../reconcile/decision.ts';
import { buildChildren } from '../resources/children.ts';
import { jobManagerUrl } from './operator-config.ts';

export type ActContext = {
  readonly kube: KubeClient;
  readonly urlTemplate: string | undefined;
  readonly identity: string;
  /** Events already recorded recently (uid/reason/message → time), so a repeated pass does not spam. */
  readonly recentEvents: Map<string, number>;
  readonly now: () => number;
  readonly onAction?: (action: Action) => void;
};

const EVENT_DEDUP_MS = 10 * 60_000;

/** Returns the StreamJob's resourceVersion after the actions (finalizer patches change it). */
export async function act(job: StreamJob, actions: readonly Action[], ctx: ActContext): Promise<string> {
  let rv = job.metadata.resourceVersion;
  for (const action of actions) {
    ctx.onAction?.(action);
    switch (action.kind) {
      case 'add-finalizer':
        rv = await ctx.kube.setFinalizers(job, rv, [...(job.metadata.finalizers ?? []), FINALIZER]);
        break;
      case 'remove-finalizer':
        rv = await ctx.kube.setFinalizers(
          job,
          rv,
          (job.metadata.finalizers ?? []).filter((f) => f !== FINALIZER),
        );
        break;
      case 'apply-children': {
        const children = buildChildren(job.metadata, action.spec, action.plan, action.planHash);
        // All four at once: pods wait for their ConfigMap volume and TaskManagers retry the JobManager's
        // Service, so no order is needed, and one round trip instead of four matters at 500 StreamJobs.
        await Promise.all(
          [children.configMap, children.service, children.jobManager, children.taskManager].map((c) =>
            ctx.kube.apply(c),
          ),
        );
        break;
      }
      case 'trigger-savepoint':
        await triggerSavepoint(job, action, ctx.urlTemplate);
        break;
      case 'event':
        await recordEvent(job, action, ctx);
        break;
    }
  }
  return rv;
}

async function triggerSavepoint(
  job: StreamJob,
  action: Extract<Action, { kind: 'trigger-savepoint' }>,
  template: string | undefined,
) {
  const spec = JSON.parse(job.status?.lastReconciledSpec ?? '{}') as Partial<StreamJobSpec>;
  const url = jobManagerUrl(template, { ...job.metadata, port: spec.jobManager?.port ?? 8081 });
  const client = new RestClient(url, { timeoutMs: 5000 });
  if (action.stop)
    await client.stop(action.jobId, { targetDirectory: action.directory, triggerId: action.triggerId });
  else
    await client.triggerSavepoint(action.jobId, {
      'target-directory': action.directory,
      triggerId: action.triggerId,
    });
}

async function recordEvent(job: StreamJob, event: EventRecord, ctx: ActContext): Promise<void> {
  const key = `${job.metadata.uid}/${event.reason}/${event.message}`;
  const now = ctx.now();
  const last = ctx.recentEvents.get(key);
  if (last !== undefined && now - last < EVENT_DEDUP_MS) return;
  ctx.recentEvents.set(key, now);
  if (ctx.recentEvents.size > 10_000) {
    for (const [k, t] of ctx.recentEvents) if (now - t > EVENT_DEDUP_MS) ctx.recentEvents.delete(k);
  }
  // An event that cannot be written must not fail the pass.
  await ctx.kube.recordEvent(job, event, ctx.identity).catch(() => undefined);
}
