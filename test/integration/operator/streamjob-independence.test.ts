// A StreamJob whose JobManager does not answer (frozen with SIGSTOP, mid-upgrade) never holds up the others:
// its upgrade waits, polled, while another StreamJob upgrades through its savepoint; once the JobManager
// answers again, the first upgrade completes too.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OperatorFixture, type StreamJobObject } from './operator-fixture.ts';

const independence = suite('StreamJobs are reconciled independently');
const fx = new OperatorFixture();
const running = (j: StreamJobObject) =>
  j.status?.job?.state === 'RUNNING' && j.status.lifecycleState === 'STABLE';

independence.before(async () => {
  await fx.setUp();
  fx.startOperator({ RIFFLE_LEADER_ELECTION: 'false', RIFFLE_RECONCILE_WORKERS: '2' });
});
independence.after(async () => {
  fx.kubelet.signal('stuck-jobmanager', 'SIGCONT');
  await fx.tearDown();
});

independence('a frozen JobManager delays only its own StreamJob', async () => {
  await fx.create(await fx.streamJobManifest('stuck'));
  await fx.create(await fx.streamJobManifest('free'));
  const stuck0 = await fx.waitForStatus('stuck', 'RUNNING', running);
  const free0 = await fx.waitForStatus('free', 'RUNNING', running);
  fx.kubelet.signal('stuck-jobmanager', 'SIGSTOP');
  await fx.patchSpec('stuck', { image: 'riffle:test-2' });
  await fx.patchSpec('free', { image: 'riffle:test-2' });
  await fx.waitForStatus(
    'free',
    'upgraded',
    (j) => running(j) && j.status?.job?.jobId !== free0.status?.job?.jobId,
  );
  const stuck = (await fx.get('stuck'))!;
  // Its pass is either still blocked observing the frozen JobManager (STABLE) or waiting in the upgrade.
  assert.ok(
    ['STABLE', 'UPGRADING'].includes(stuck.status!.lifecycleState!),
    `the frozen one is still waiting (${stuck.status!.lifecycleState})`,
  );
  assert.is(stuck.status!.job!.jobId, stuck0.status!.job!.jobId);
  fx.kubelet.signal('stuck-jobmanager', 'SIGCONT');
  await fx.waitForStatus(
    'stuck',
    'upgraded after thawing',
    (j) => running(j) && j.status?.job?.jobId !== stuck0.status?.job?.jobId,
  );
});

independence.run();
