// Periodic savepoints against the real JobManager: taken while the job keeps running, recorded in
// status.savepointHistory, which keeps at most historyMaxCount entries (the newest first).
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { OperatorFixture } from './operator-fixture.ts';

const periodic = suite('periodic savepoints');
const fx = new OperatorFixture();
periodic.before(async () => {
  await fx.setUp();
  fx.startOperator({ RIFFLE_LEADER_ELECTION: 'false' });
});
periodic.after(() => fx.tearDown());

periodic('a savepoint every 2 s; the history keeps the newest 2', async () => {
  await fx.create(
    await fx.streamJobManifest('tick', (spec) => {
      spec.savepoints = {
        directory: join(fx.dir, 'tick', 'savepoints'),
        periodicInterval: '2s',
        historyMaxCount: 2,
      };
    }),
  );
  const first = await fx.waitForStatus('tick', 'RUNNING', (j) => j.status?.job?.state === 'RUNNING');
  const seen = new Set<string>();
  const after = await fx.waitForStatus('tick', 'three periodic savepoints', (j) => {
    const p = j.status?.job?.lastSavepoint;
    if (p?.kind === 'periodic') seen.add(p.path);
    return seen.size >= 3;
  });
  const history = after.status!.savepointHistory!.map((h) => h.path);
  assert.is(history.length, 2);
  assert.is(history[0], after.status!.job!.lastSavepoint!.path, 'newest first');
  assert.equal([after.status!.job!.jobId, after.status!.job!.state], [first.status!.job!.jobId, 'RUNNING']);
  const events = (await fx.events('tick')).filter((e) => e.reason === 'SavepointCompleted');
  assert.ok(events.length >= 3 && events.every((e) => e.message.startsWith('periodic savepoint completed')));
});

periodic.run();
