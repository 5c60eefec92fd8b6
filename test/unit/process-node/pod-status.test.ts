// The process node's pod status (phase, conditions, containerStatuses) and restart decisions.
import type { V1Pod } from '@kubernetes/client-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ContainerView, podPhase, podStatus } from '../../../hack/process-node/pod-status.ts';
import {
  type Backoff,
  nextCrashCount,
  restartDelayMs,
  shouldRestart,
} from '../../../hack/process-node/restart-policy.ts';

const t0 = new Date('2026-11-25T10:00:00Z');
const running = (name = 'c', ready = true): ContainerView => ({
  name,
  image: 'i',
  state: { kind: 'running', startedAt: t0 },
  restartCount: 0,
  ready,
  started: true,
});
const exited = (code: number): ContainerView => ({
  name: 'c',
  image: 'i',
  state: {
    kind: 'terminated',
    exitCode: code,
    reason: code === 0 ? 'Completed' : 'Error',
    startedAt: t0,
    finishedAt: t0,
  },
  restartCount: 0,
  ready: false,
  started: false,
});
const creating: ContainerView = {
  name: 'c',
  image: 'i',
  state: { kind: 'waiting', reason: 'ContainerCreating' },
  restartCount: 0,
  ready: false,
  started: false,
};
const backingOff: ContainerView = {
  ...creating,
  state: { kind: 'waiting', reason: 'CrashLoopBackOff' },
  lastTerminated: { exitCode: 137, signal: 9, reason: 'Error', startedAt: t0, finishedAt: t0 },
  restartCount: 2,
};

test('phase follows the kubelet for each restartPolicy', () => {
  const table: Array<[string, ContainerView[], string]> = [
    ['Always', [creating], 'Pending'],
    ['Always', [running(), creating], 'Pending'],
    ['Always', [running()], 'Running'],
    ['Always', [backingOff], 'Running'],
    ['Always', [exited(0)], 'Running'],
    ['OnFailure', [exited(0)], 'Succeeded'],
    ['OnFailure', [exited(1)], 'Running'],
    ['Never', [exited(0)], 'Succeeded'],
    ['Never', [exited(1)], 'Failed'],
    ['Never', [running(), exited(1)], 'Running'],
  ];
  for (const [policy, containers, want] of table)
    assert.is(podPhase(policy, containers), want, `${policy} ${want}`);
});

test('status: conditions, IPs, container states; a condition keeps its transition time while unchanged', () => {
  const pod: V1Pod = {
    spec: { containers: [], restartPolicy: 'Always' },
    status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: t0 }] },
  };
  const now = new Date('2026-11-25T10:00:05Z');
  const s = podStatus({
    pod,
    containers: [running('a'), backingOff],
    podIP: '10.245.0.1',
    hostIP: '127.0.0.1',
    startTime: t0,
    now,
  });
  assert.is(s.phase, 'Running');
  assert.is(s.podIP, '10.245.0.1');
  assert.equal(s.podIPs, [{ ip: '10.245.0.1' }]);
  assert.is(s.hostIP, '127.0.0.1');
  const cond = Object.fromEntries((s.conditions ?? []).map((c) => [c.type, c]));
  assert.is(cond.Ready?.status, 'False');
  assert.is(cond.ContainersReady?.status, 'False');
  assert.is(cond.Initialized?.status, 'True');
  assert.is(cond.PodScheduled?.lastTransitionTime, t0);
  assert.is(cond.Ready?.lastTransitionTime, now);
  const [a, b] = s.containerStatuses ?? [];
  assert.ok(a?.state?.running);
  assert.is(b?.state?.waiting?.reason, 'CrashLoopBackOff');
  assert.is(b?.lastState?.terminated?.exitCode, 137);
  assert.is(b?.restartCount, 2);
  const ready = podStatus({ pod, containers: [running('a')], podIP: 'x', hostIP: 'y', startTime: t0, now });
  assert.is(ready.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
});

test('restart policy, crash counting and backoff', () => {
  assert.ok(shouldRestart(undefined, 0));
  assert.ok(shouldRestart('Always', 0));
  assert.ok(shouldRestart('OnFailure', 1));
  assert.not.ok(shouldRestart('OnFailure', 0));
  assert.not.ok(shouldRestart('Never', 1));
  const b: Backoff = { baseMs: 1000, capMs: 5000, resetAfterMs: 60_000 };
  assert.equal(
    [1, 2, 3, 4, 5].map((n) => restartDelayMs(n, b)),
    [1000, 2000, 4000, 5000, 5000],
  );
  assert.is(nextCrashCount(3, 10, b), 4);
  assert.is(nextCrashCount(3, 60_000, b), 1, 'a container that ran long enough starts over');
});

test.run();
