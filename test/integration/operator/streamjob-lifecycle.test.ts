// The operator against the real API server, controller-manager and scheduler of the test environment, with a
// real Riffle JobManager and TaskManagers run by the process kubelet from the Deployments the operator
// writes: apply → children with owner references → RUNNING; a spec change → the savepoint upgrade sequence
// (state survives: the counting job's committed output stays exactly once); kubectl scale → rescale through
// a savepoint; suspend and resume; delete → final savepoint, then the children are garbage-collected.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '../test-env.ts';
import { committedCounts, OperatorFixture, type StreamJobObject } from './operator-fixture.ts';

const lifecycle = suite('StreamJob lifecycle (operator + real JobManager)');
const fx = new OperatorFixture();
const NAME = 'counter';

lifecycle.before(async () => {
  await fx.setUp();
  fx.startOperator({ RIFFLE_LEADER_ELECTION: 'false' });
});

lifecycle.after(async () => {
  await fx.tearDown();
});

const running = (j: StreamJobObject) =>
  j.status?.job?.state === 'RUNNING' && j.status.lifecycleState === 'STABLE';
const outDir = join(fx.dir, NAME, 'out');

/** Every key's committed counts are distinct and the highest is at least `min` (state kept, exactly once). */
function assertExactlyOnce(min: number): void {
  const counts = committedCounts(outDir);
  assert.ok(counts.size > 0, 'the job committed output');
  for (const [key, values] of counts) {
    assert.is(
      new Set(values).size,
      values.length,
      `key ${key}: a count committed twice (state lost or replayed)`,
    );
  }
  assert.ok(Math.max(...[...counts.values()].flat()) >= min, `counts reach ${min}`);
}

lifecycle('apply: children with owner references and generation labels; the job runs; STABLE', async () => {
  await fx.create(await fx.streamJobManifest(NAME));
  const job = await fx.waitForStatus(NAME, 'RUNNING and STABLE', running);
  const jm = await fx.apps.readNamespacedDeployment({ name: `${NAME}-jobmanager`, namespace: fx.namespace });
  const tm = await fx.apps.readNamespacedDeployment({ name: `${NAME}-taskmanager`, namespace: fx.namespace });
  const svc = await fx.core.readNamespacedService({ name: `${NAME}-jobmanager`, namespace: fx.namespace });
  const cm = await fx.core.readNamespacedConfigMap({ name: `${NAME}-config`, namespace: fx.namespace });
  for (const child of [jm, tm, svc, cm]) {
    const owner = child.metadata?.ownerReferences?.[0];
    assert.equal([owner?.kind, owner?.uid, owner?.controller], ['StreamJob', job.metadata.uid, true]);
    assert.is(child.metadata?.labels?.['riffle.dev/generation'], '1');
  }
  assert.ok(jm.spec?.template.spec?.containers[0]?.args?.includes(job.status!.job!.jobId!));
  const conditions = Object.fromEntries(job.status!.conditions!.map((c) => [c.type, c.status]));
  assert.equal(conditions, { Ready: 'True', Progressing: 'False', Degraded: 'False' });
  const printed = await fx.kubectl(['get', 'sj', NAME]);
  assert.match(printed, /STABLE\s+RUNNING\s+1/);
});

lifecycle('the operator serves /healthz, /readyz and Prometheus /metrics', async () => {
  const started = fx.operatorLog(fx.operators[0]!).find((l) => l.msg === 'Operator started') as unknown as {
    metricsPort: number;
    healthPort: number;
  };
  const health = await fetch(`http://127.0.0.1:${started.healthPort}/healthz`);
  assert.is(health.status, 200);
  const ready = await fetch(`http://127.0.0.1:${started.healthPort}/readyz`);
  assert.is(ready.status, 200);
  const metrics = await (await fetch(`http://127.0.0.1:${started.metricsPort}/metrics`)).text();
  assert.match(metrics, /riffle_operator_reconcile_total\{result="success"\} [1-9]/);
  assert.match(metrics, /riffle_operator_streamjobs\{lifecycle_state="STABLE"\} 1/);
  assert.match(metrics, /riffle_operator_actions_total\{kind="apply-children"\} 1/);
  assert.match(metrics, /riffle_operator_process_resident_memory_bytes \d+/);
});

lifecycle('a spec change upgrades through stop-with-savepoint and the state survives', async () => {
  const before = (await fx.get(NAME))!;
  const oldJobId = before.status!.job!.jobId!;
  await waitFor('committed output before the upgrade', async () =>
    committedCounts(outDir).size > 0 ? true : undefined,
  );
  await fx.patchSpec(NAME, { config: { 'pipeline.name': 'counter-v2' } });
  const after = await fx.waitForStatus(
    NAME,
    'upgraded and running again',
    (j) =>
      running(j) &&
      j.status?.job?.jobId !== oldJobId &&
      j.metadata.generation === j.status?.observedGeneration,
  );
  const savepoint = after.status!.job!.upgradeSavepointPath!;
  assert.match(savepoint, join(fx.dir, NAME, 'savepoints'));
  assert.is(after.status!.deployment!.restoreFrom, savepoint);
  const reasons = (await fx.events(NAME)).map((e) => e.reason);
  const order = ['SpecChanged', 'SavepointTriggered', 'SavepointCompleted', 'Deployed'].map((r) =>
    reasons.indexOf(r),
  );
  assert.ok(
    order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)),
    `event order: ${reasons.join(', ')}`,
  );
  const jmStarts = fx.kubelet.starts.filter((s) => s.startsWith(`${NAME}-jobmanager`));
  assert.match(jmStarts.at(-1)!, `--from-savepoint ${savepoint}`);
  const highest = Math.max(...[...committedCounts(outDir).values()].flat());
  await waitFor('output after the upgrade', async () =>
    Math.max(...[...committedCounts(outDir).values()].flat()) > highest + 10 ? true : undefined,
  );
  assertExactlyOnce(highest + 10);
});

lifecycle('a new savepointTriggerNonce takes a savepoint while the job keeps running', async () => {
  const before = (await fx.get(NAME))!;
  await fx.patchSpec(NAME, { job: { savepointTriggerNonce: 1 } });
  const after = await fx.waitForStatus(
    NAME,
    'the manual savepoint',
    (j) => j.status?.job?.lastSavepoint?.kind === 'manual',
  );
  assert.match(after.status!.job!.lastSavepoint!.path, join(fx.dir, NAME, 'savepoints'));
  assert.equal([after.status!.job!.jobId, after.status!.job!.state], [before.status!.job!.jobId, 'RUNNING']);
  assert.ok(after.status!.savepointHistory!.some((h) => h.path === after.status!.job!.lastSavepoint!.path));
});

lifecycle('kubectl scale sj --replicas=2 rescales through a savepoint to parallelism 2', async () => {
  const before = (await fx.get(NAME))!;
  await fx.kubectl(['scale', `sj/${NAME}`, '--replicas=2']);
  const after = await fx.waitForStatus(
    NAME,
    'rescaled and running',
    (j) => running(j) && j.status?.parallelism === 2 && j.status.job?.jobId !== before.status?.job?.jobId,
  );
  assert.is(after.status!.taskManager!.replicas, 2);
  const reasons = (await fx.events(NAME)).map((e) => e.reason);
  assert.ok(reasons.includes('Scaling'));
  const jmStart = fx.kubelet.starts.filter((s) => s.startsWith(`${NAME}-jobmanager`)).at(-1)!;
  assert.match(jmStart, '--parallelism 2');
  assert.match(jmStart, `--from-savepoint ${after.status!.job!.upgradeSavepointPath}`);
  const tm = await fx.apps.readNamespacedDeployment({ name: `${NAME}-taskmanager`, namespace: fx.namespace });
  assert.is(tm.spec?.replicas, 2);
  const scale = JSON.parse(
    await fx.kubectl([
      'get',
      '--raw',
      `/apis/riffle.dev/v1alpha1/namespaces/${fx.namespace}/streamjobs/${NAME}/scale`,
    ]),
  );
  assert.equal([scale.spec.replicas, scale.status.replicas], [2, 2]);
  assertExactlyOnce(1);
});

lifecycle('suspend stops with a savepoint and scales to zero; resume restores from it', async () => {
  await fx.patchSpec(NAME, { job: { state: 'suspended' } });
  const suspended = await fx.waitForStatus(
    NAME,
    'SUSPENDED',
    (j) => j.status?.lifecycleState === 'SUSPENDED',
  );
  const path = suspended.status!.job!.upgradeSavepointPath!;
  const jm = await fx.apps.readNamespacedDeployment({ name: `${NAME}-jobmanager`, namespace: fx.namespace });
  assert.is(jm.spec?.replicas, 0);
  await fx.patchSpec(NAME, { job: { state: 'running' } });
  const resumed = await fx.waitForStatus(NAME, 'resumed', running);
  assert.is(resumed.status!.deployment!.restoreFrom, path);
  const reasons = (await fx.events(NAME)).map((e) => e.reason);
  assert.ok(reasons.includes('Suspending') && reasons.includes('Resuming'), reasons.join(', '));
  const highest = Math.max(...[...committedCounts(outDir).values()].flat());
  await waitFor('output after resuming', async () =>
    Math.max(...[...committedCounts(outDir).values()].flat()) > highest ? true : undefined,
  );
  assertExactlyOnce(highest);
});

lifecycle('delete takes a final savepoint, then the children are garbage-collected', async () => {
  await fx.custom.deleteNamespacedCustomObject({
    group: 'riffle.dev',
    version: 'v1alpha1',
    namespace: fx.namespace,
    plural: 'streamjobs',
    name: NAME,
  });
  await waitFor(
    'the StreamJob to be gone',
    async () => ((await fx.get(NAME)) === undefined ? true : undefined),
    60_000,
  );
  const events = await fx.events(NAME);
  const final = events.find((e) => e.reason === 'FinalSavepoint');
  assert.ok(final, `a FinalSavepoint event: ${events.map((e) => e.reason).join(', ')}`);
  assert.match(final!.message, join(fx.dir, NAME, 'savepoints'));
  await waitFor(
    'the children to be garbage-collected',
    async () => {
      const d = await fx.apps.listNamespacedDeployment({ namespace: fx.namespace });
      const s = await fx.core.listNamespacedService({ namespace: fx.namespace });
      return d.items.length === 0 && s.items.length === 0 ? true : undefined;
    },
    60_000,
  );
});

lifecycle.run();
