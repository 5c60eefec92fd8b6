// Ready / Progressing / Degraded conditions and the lifecycle summary, from the status decide() built.
import type { Condition, ConditionType, LifecycleState, StreamJobStatus } from '../api/stream-job-status.ts';

export type ConditionInput = { status: 'True' | 'False'; reason: string; message: string };

export function setCondition(
  conditions: readonly Condition[] | undefined,
  type: ConditionType,
  next: ConditionInput,
  generation: number,
  now: number,
): Condition[] {
  const list = (conditions ?? []).filter((c) => c.type !== type);
  const prev = conditions?.find((c) => c.type === type);
  const lastTransitionTime =
    prev !== undefined && prev.status === next.status ? prev.lastTransitionTime : new Date(now).toISOString();
  list.push({ type, ...next, lastTransitionTime, observedGeneration: generation });
  const order: ConditionType[] = ['Ready', 'Progressing', 'Degraded'];
  return list.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
}

export function lifecycleOf(status: StreamJobStatus, deleting: boolean, suspended: boolean): LifecycleState {
  if (deleting) return 'DELETING';
  if (status.upgrade !== undefined) return 'UPGRADING';
  if (status.lastReconciledSpec === undefined) return status.error !== undefined ? 'FAILED' : 'CREATED';
  if (suspended) return 'SUSPENDED';
  if (status.job?.state === 'FAILED') return 'FAILED';
  if (status.job?.state === 'RUNNING' && status.lastStableSpec === status.lastReconciledSpec) return 'STABLE';
  return 'DEPLOYED';
}
