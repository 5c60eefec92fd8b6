// Failures around a running StreamJob: a semantically invalid edit turns it Degraded (naming the field and
// the fix) while the job keeps running its last valid spec; a deleted JobManager Deployment is recreated and
// the job resumes from its latest checkpoint (same job id, HA metadata); a lost TaskManager is replaced and
// the runtime restarts the job from its latest checkpoint. The committed output stays exactly once.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '../test-env.ts';
import { committedCounts, OperatorFixture, type StreamJobObject } from './operator-fixture.ts';

const failures = suite('StreamJob failures');
const fx = new OperatorFixture();
const NAME = 'fail';
const outDir = join(fx.dir, NAME, 'out');
const running = (j: StreamJobObject) =>
  j.status?.job?.state === 'RUNNING' && j.status.lifecycleState === 'STABLE';
const degraded = (j: StreamJobObject) => j.status?.conditions?.find((c) => c.type === 'Degraded');
const highest = () => Math.max(0, ...[...committedCounts(outDir).values()].flat());

failures.before(async () => {
  await fx.setUp();
  fx.startOperator({ RIFFLE_LEADER_ELECTION: 'false' });
  await fx.create(await fx.streamJobManifest(NAME));
  await fx.waitForStatus(NAME, 'RUNNING', running);
  await waitFor('committed output', async () => (highest() > 0 ? true : undefined));
});
failures.after(() => fx.tearDown());

function assertExactlyOnce(): void {
  for (const [key, values] of committedCounts(outDir))
    assert.is(new Set(values).size, values.length, `key ${key}: a count committed twice`);
}

failures(
  'an invalid edit: Degraded naming the field, the job keeps running its last valid spec',
  async () => {
    const jobId = (await fx.get(NAME))!.status!.job!.jobId;
    await fx.patchSpec(NAME, { job: { upgradeMode: 'last-state' }, checkpointing: null });
    const bad = await fx.waitForStatus(NAME, 'Degraded', (j) => degraded(j)?.status === 'True');
    assert.is(degraded(bad)!.reason, 'InvalidSpec');
    assert.match(
      degraded(bad)!.message,
      'spec.checkpointing is required by spec.job.upgradeMode: last-state',
    );
    assert.equal([bad.status!.job!.jobId, bad.status!.job!.state], [jobId, 'RUNNING']);
    assert.ok((await fx.events(NAME)).some((e) => e.reason === 'ValidationError' && e.type === 'Warning'));
    const before = highest();
    await waitFor('output while Degraded', async () => (highest() > before ? true : undefined));
    await fx.patchSpec(NAME, {
      job: { upgradeMode: 'savepoint' },
      checkpointing: { interval: '300ms', storage: join(fx.dir, NAME, 'checkpoints') },
    });
    const fixed = await fx.waitForStatus(NAME, 'healthy again', (j) => degraded(j)?.status === 'False');
    assert.is(fixed.status!.job!.jobId, jobId, 'the same spec as before: nothing redeployed');
  },
);

failures(
  'a deleted JobManager Deployment is recreated; the job resumes from its latest checkpoint',
  async () => {
    const jobId = (await fx.get(NAME))!.status!.job!.jobId;
    const before = highest();
    await fx.apps.deleteNamespacedDeployment({ name: `${NAME}-jobmanager`, namespace: fx.namespace });
    await waitFor('the JobManager Deployment back', async () =>
      (await fx.apps
        .readNamespacedDeployment({ name: `${NAME}-jobmanager`, namespace: fx.namespace })
        .catch(() => undefined))
        ? true
        : undefined,
    );
    assert.ok((await fx.events(NAME)).some((e) => e.reason === 'RecoverDeployment'));
    const again = await fx.waitForStatus(NAME, 'RUNNING again', running);
    assert.is(again.status!.job!.jobId, jobId, 'same job id: it resumes from HA metadata');
    await waitFor('output after recovery', async () => (highest() > before + 10 ? true : undefined));
    assertExactlyOnce();
  },
);

failures('a lost TaskManager is replaced and the job restarts from its latest checkpoint', async () => {
  const before = highest();
  await fx.kubelet.killPods(`${NAME}-taskmanager`);
  await fx.waitForStatus(NAME, 'RUNNING after the TaskManager loss', running);
  await waitFor(
    'output after the TaskManager loss',
    async () => (highest() > before + 10 ? true : undefined),
    60_000,
  );
  assertExactlyOnce();
});

failures.run();
