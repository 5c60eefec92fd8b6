// The operator's own failures: an operator killed (SIGKILL) in the middle of a savepoint upgrade is replaced
// by a new process that finishes the upgrade from the status it left (same savepoint, no second stop), and
// two replicas with leader election never act at once: only the Lease holder reconciles, and after it hands
// over, the other one takes over.
import { join } from 'node:path';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '../test-env.ts';
import { committedCounts, OperatorFixture, type StreamJobObject } from './operator-fixture.ts';

const running = (j: StreamJobObject) =>
  j.status?.job?.state === 'RUNNING' && j.status.lifecycleState === 'STABLE';

const restart = suite('operator restarted in the middle of an upgrade');
const fx = new OperatorFixture();
restart.before(() => fx.setUp());
restart.after(() => fx.tearDown());

restart('a new operator process finishes the upgrade its killed predecessor started', async () => {
  const first = fx.startOperator({ RIFFLE_LEADER_ELECTION: 'false' });
  await fx.create(await fx.streamJobManifest('mid'));
  const before = await fx.waitForStatus('mid', 'RUNNING', running);
  await waitFor('committed output', async () =>
    committedCounts(join(fx.dir, 'mid', 'out')).size > 0 ? true : undefined,
  );
  await fx.patchSpec('mid', { image: 'riffle:test-2' });
  // Killed while status.upgrade is recorded: savepointing (stop-with-savepoint in flight) or deploying.
  const mid = await fx.waitForStatus(
    'mid',
    'the upgrade in flight',
    (j) => j.status?.upgrade !== undefined,
    60_000,
  );
  await fx.stopOperator(first, 'SIGKILL');
  const phase = mid.status!.upgrade!.phase;

  fx.startOperator({ RIFFLE_LEADER_ELECTION: 'false' });
  const after = await fx.waitForStatus(
    'mid',
    'upgraded and running',
    (j) => running(j) && j.status?.job?.jobId !== before.status?.job?.jobId,
  );
  assert.is(after.status!.deployment!.restoreFrom, after.status!.job!.upgradeSavepointPath);
  const jm = await fx.apps.readNamespacedDeployment({ name: 'mid-jobmanager', namespace: fx.namespace });
  assert.is(jm.spec?.template.spec?.containers[0]?.image, 'riffle:test-2');
  const triggered = (await fx.events('mid')).filter((e) => e.reason === 'SavepointTriggered');
  assert.is(triggered.length, 1, `one stop-with-savepoint, not two (killed while ${phase})`);
  const counts = committedCounts(join(fx.dir, 'mid', 'out'));
  for (const [key, values] of counts)
    assert.is(new Set(values).size, values.length, `key ${key} exactly once`);
});

restart.run();

const election = suite('two operator replicas with leader election');
const fx2 = new OperatorFixture();
election.before(() => fx2.setUp());
election.after(() => fx2.tearDown());

election('only the Lease holder acts; after it hands over, the standby takes over', async () => {
  const lease = { RIFFLE_LEASE_NAME: 'riffle-operator-it' };
  const a = fx2.startOperator(lease);
  const b = fx2.startOperator(lease);
  const leases = fx2.kc.makeApiClient(CoordinationV1Api);
  const holder = await waitFor('a lease holder', async () => {
    const l = await leases
      .readNamespacedLease({ name: 'riffle-operator-it', namespace: fx2.namespace })
      .catch(() => undefined);
    return l?.spec?.holderIdentity || undefined;
  });
  const [leader, standby] = holder === a.identity ? [a, b] : [b, a];
  await fx2.create(await fx2.streamJobManifest('ha'));
  await fx2.waitForStatus('ha', 'RUNNING', running);
  const acts = (p: typeof a) =>
    fx2.operatorLog(p).filter((l) => l.msg.startsWith('Action') || l.msg === 'Applied children');
  assert.ok(acts(leader).length > 0, 'the leader acted');
  assert.is(acts(standby).length, 0, 'the standby did nothing');
  assert.not.ok(fx2.operatorLog(standby).some((l) => l.msg === 'Became leader'));

  await fx2.stopOperator(leader, 'SIGTERM');
  const leaderDone = Math.max(...acts(leader).map((l) => Date.parse(l.time)));
  await waitFor(
    'the standby to lead',
    async () => (fx2.operatorLog(standby).some((l) => l.msg === 'Became leader') ? true : undefined),
    30_000,
  );
  const before = (await fx2.get('ha'))!;
  await fx2.kubectl(['scale', 'sj/ha', '--replicas=2']);
  await fx2.waitForStatus(
    'ha',
    'rescaled by the new leader',
    (j) => running(j) && j.status?.parallelism === 2 && j.status.job?.jobId !== before.status?.job?.jobId,
  );
  const took = fx2.operatorLog(standby).find((l) => l.msg === 'Became leader')!;
  assert.ok(Date.parse(took.time) > leaderDone, 'the new leader started after the old one stopped acting');
  assert.ok(acts(standby).every((l) => Date.parse(l.time) > leaderDone));
  assert.ok(acts(standby).some((l) => l.msg === 'Action trigger-savepoint'));
});

election.run();
