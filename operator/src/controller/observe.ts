// Gathers what decide() needs about one StreamJob: its Deployments and JobManager pods (from the informer
// caches) and, when a JobManager should run, the job's state, latest checkpoint and pending savepoint from
// the JobManager's REST API (short timeouts: an unreachable JobManager is an observation, not a failure).
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { RestClient, RestError } from '@riffle/runtime/rest';
import type { StreamJob } from '../api/stream-job.ts';
import type { StreamJobSpec } from '../api/stream-job-spec.ts';
import type { CheckpointRecord } from '../api/stream-job-status.ts';
import type {
  DeploymentObservation,
  Observation,
  RestObservation,
  SavepointPoll,
} from '../reconcile/observation.ts';
import { childNames, PLAN_HASH_ANNOTATION } from '../resources/labels.ts';
import { jobManagerUrl } from './operator-config.ts';

export type ChildCache = {
  deployment(namespace: string, name: string): V1Deployment | undefined;
  jobManagerPods(namespace: string, streamJob: string): V1Pod[];
};

const FAILING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'RunContainerError',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
]);

function deploymentObservation(d: V1Deployment | undefined): DeploymentObservation {
  if (d === undefined) return { exists: false };
  return {
    exists: true,
    planHash: d.metadata?.annotations?.[PLAN_HASH_ANNOTATION],
    replicas: d.status?.replicas ?? 0,
    readyReplicas: d.status?.readyReplicas ?? 0,
  };
}

export function jobManagerProblem(pods: readonly V1Pod[]): string | undefined {
  for (const pod of pods) {
    for (const c of pod.status?.containerStatuses ?? []) {
      const waiting = c.state?.waiting;
      if (waiting?.reason !== undefined && FAILING_REASONS.has(waiting.reason))
        return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''} (pod ${pod.metadata?.name}, ${c.restartCount} restarts)`;
      const last = c.lastState?.terminated;
      if (last?.reason === 'OOMKilled' && c.restartCount > 0)
        return `OOMKilled (pod ${pod.metadata?.name}, ${c.restartCount} restarts)`;
    }
  }
  return undefined;
}

export async function observeRest(
  client: RestClient,
  jobId: string,
  triggerId: string | undefined,
): Promise<RestObservation> {
  try {
    let jobState: string | undefined;
    try {
      jobState = (await client.job(jobId)).state;
    } catch (e) {
      if (!(e instanceof RestError && e.status === 404)) throw e;
    }
    let lastCheckpoint: CheckpointRecord | undefined;
    if (jobState !== undefined) {
      const completed = (await client.checkpoints(jobId)).latest.completed;
      if (completed !== null)
        lastCheckpoint = {
          id: completed.id,
          timestamp: completed.latest_ack_timestamp ?? completed.trigger_timestamp,
          ...(completed.external_path ? { path: completed.external_path } : {}),
        };
    }
    let savepoint: SavepointPoll | undefined;
    if (triggerId !== undefined) {
      try {
        const s = await client.savepointStatus(jobId, triggerId);
        if (s.status.id === 'IN_PROGRESS') savepoint = { state: 'in-progress' };
        else if (s.operation !== undefined && 'location' in s.operation)
          savepoint = { state: 'completed', location: s.operation.location };
        else
          savepoint = {
            state: 'failed',
            message:
              s.operation && 'failure-cause' in s.operation
                ? s.operation['failure-cause'].class +
                  ': ' +
                  firstLine(s.operation['failure-cause']['stack-trace'])
                : 'no result',
          };
      } catch (e) {
        if (!(e instanceof RestError && e.status === 404)) throw e;
        savepoint = { state: 'unknown' };
      }
    }
    return { reachable: true, jobState, lastCheckpoint, savepoint };
  } catch (e) {
    return { reachable: false, error: (e as Error).message };
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

export async function observe(
  job: StreamJob,
  cache: ChildCache,
  urlTemplate: string | undefined,
  timeoutMs = 3000,
): Promise<Observation> {
  const { name, namespace } = job.metadata;
  const names = childNames(name);
  const status = job.status ?? {};
  const jm = cache.deployment(namespace, names.jobManager);
  const tm = cache.deployment(namespace, names.taskManager);
  const deployment = status.deployment;
  let rest: RestObservation | undefined;
  if (deployment?.running) {
    const spec = JSON.parse(status.lastReconciledSpec ?? '{}') as Partial<StreamJobSpec>;
    const url = jobManagerUrl(urlTemplate, { name, namespace, port: spec.jobManager?.port ?? 8081 });
    const pending = status.pendingSavepoint;
    rest = await observeRest(
      new RestClient(url, { timeoutMs }),
      pending?.jobId ?? deployment.jobId,
      pending?.triggerId,
    );
  }
  return {
    jobManager: deploymentObservation(jm),
    taskManager: deploymentObservation(tm),
    jobManagerProblem: jobManagerProblem(cache.jobManagerPods(namespace, name)),
    rest,
  };
}
