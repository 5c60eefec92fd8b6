// A pod's status from its containers' states (pure), following the kubelet: phase (Pending until every
// container has started once, Running while any runs or will restart, Succeeded/Failed when all stopped for
// good), the PodScheduled/PodReadyToStartContainers/Initialized/ContainersReady/Ready conditions (a
// condition keeps its lastTransitionTime while its status does not change), containerStatuses with
// state, lastState and restartCount, and the pod and host IPs.
import type { V1ContainerStatus, V1Pod, V1PodCondition, V1PodStatus } from '@kubernetes/client-node';

export type Terminated = {
  readonly exitCode: number;
  readonly signal?: number;
  readonly reason: string;
  readonly message?: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
};

export type ContainerState =
  | { readonly kind: 'waiting'; readonly reason: string; readonly message?: string }
  | { readonly kind: 'running'; readonly startedAt: Date }
  | ({ readonly kind: 'terminated' } & Terminated);

export type ContainerView = {
  readonly name: string;
  readonly image: string;
  readonly state: ContainerState;
  readonly lastTerminated?: Terminated;
  readonly restartCount: number;
  readonly ready: boolean;
  readonly started: boolean;
  readonly containerID?: string;
};

export type PodView = {
  readonly pod: V1Pod;
  readonly containers: readonly ContainerView[];
  readonly podIP: string;
  readonly hostIP: string;
  readonly startTime: Date;
  readonly now: Date;
};

export type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export function podPhase(restartPolicy: string, containers: readonly ContainerView[]): Phase {
  let pending = 0;
  let running = 0;
  let succeeded = 0;
  let failed = 0;
  for (const c of containers) {
    const s = c.state;
    if (s.kind === 'running') running++;
    else if (s.kind === 'waiting') {
      if (c.lastTerminated === undefined) pending++;
      else running++; // stopped, restarting
    } else if (s.exitCode === 0) succeeded++;
    else failed++;
  }
  if (pending > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (restartPolicy === 'Always') return 'Running';
  if (failed > 0) return restartPolicy === 'OnFailure' ? 'Running' : 'Failed';
  return succeeded === containers.length ? 'Succeeded' : 'Running';
}

function terminatedJson(t: Terminated): NonNullable<V1ContainerStatus['lastState']>['terminated'] {
  return {
    exitCode: t.exitCode,
    ...(t.signal === undefined ? {} : { signal: t.signal }),
    reason: t.reason,
    ...(t.message === undefined ? {} : { message: t.message }),
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
  };
}

export function containerStatus(c: ContainerView): V1ContainerStatus {
  const s = c.state;
  const state: V1ContainerStatus['state'] =
    s.kind === 'waiting'
      ? { waiting: { reason: s.reason, ...(s.message === undefined ? {} : { message: s.message }) } }
      : s.kind === 'running'
        ? { running: { startedAt: s.startedAt } }
        : { terminated: terminatedJson(s) };
  return {
    name: c.name,
    image: c.image,
    imageID: `process://${c.image}`,
    ...(c.containerID === undefined ? {} : { containerID: c.containerID }),
    state,
    lastState: c.lastTerminated === undefined ? {} : { terminated: terminatedJson(c.lastTerminated) },
    ready: c.ready,
    started: c.started,
    restartCount: c.restartCount,
  };
}

function condition(
  previous: V1PodCondition[] | undefined,
  type: string,
  ok: boolean,
  now: Date,
): V1PodCondition {
  const status = ok ? 'True' : 'False';
  const old = previous?.find((c) => c.type === type);
  const lastTransitionTime = old !== undefined && old.status === status ? old.lastTransitionTime : now;
  return {
    type,
    status,
    lastProbeTime: null as unknown as undefined,
    lastTransitionTime,
    ...(ok
      ? {}
      : { reason: type === 'Ready' || type === 'ContainersReady' ? 'ContainersNotReady' : 'NotReady' }),
  };
}

export function podStatus(v: PodView): V1PodStatus {
  const restartPolicy = v.pod.spec?.restartPolicy ?? 'Always';
  const phase = podPhase(restartPolicy, v.containers);
  const allReady = v.containers.length > 0 && v.containers.every((c) => c.ready);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const prev = v.pod.status?.conditions;
  return {
    phase,
    conditions: [
      condition(prev, 'PodReadyToStartContainers', !terminal, v.now),
      condition(prev, 'Initialized', true, v.now),
      condition(prev, 'Ready', allReady && !terminal, v.now),
      condition(prev, 'ContainersReady', allReady && !terminal, v.now),
      condition(prev, 'PodScheduled', true, v.now),
    ],
    hostIP: v.hostIP,
    hostIPs: [{ ip: v.hostIP }],
    podIP: v.podIP,
    podIPs: [{ ip: v.podIP }],
    startTime: v.startTime,
    qosClass: v.pod.status?.qosClass ?? 'BestEffort',
    containerStatuses: v.containers.map(containerStatus),
  };
}
