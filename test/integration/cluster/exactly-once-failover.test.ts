// Exactly-once under failure on a cluster of processes: a TaskManager is killed with SIGKILL while a keyed
// running count runs with checkpoints; the job restarts from the latest checkpoint on a new TaskManager, and
// the committed output equals a failure-free run: every (key, count) exactly once.
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { committedLines, expectedRunningCounts } from '../../fixtures/running-count.ts';
import { LocalCluster, waitFor } from './local-cluster.ts';
import { getJson, jobState, submitJob } from './rest.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/exactly-once-count.ts');
const EVENTS = 30_000;
const KEYS = 40;

type Checkpoints = {
  counts: { completed: number; restored: number };
  latest: { restored: { id: number } | null };
};

test('SIGKILL of a TaskManager: restore from the latest checkpoint, output exactly once', async () => {
  const cluster = new LocalCluster();
  try {
    await cluster.startJobManager({ heartbeatTimeoutMs: 2000 });
    cluster.startTaskManager('tm-1', 1);
    const victim = cluster.startTaskManager('tm-2', 1);
    const out = join(cluster.dir, 'out');
    const id = await submitJob(cluster.jobManagerUrl, {
      jobModule: JOB,
      args: [out, join(cluster.dir, 'checkpoints'), String(EVENTS), '5000', String(KEYS)],
      parallelism: 2,
    });
    const checkpoints = () => getJson<Checkpoints>(`${cluster.jobManagerUrl}/jobs/${id}/checkpoints`);
    await waitFor(
      async () => (await checkpoints()).counts.completed >= 3,
      30_000,
      () => `no checkpoints\n${cluster.logs()}`,
    );
    await cluster.kill(victim, 'SIGKILL');
    await waitFor(
      async () => (await jobState(cluster.jobManagerUrl, id)) !== 'RUNNING',
      10_000,
      () => `loss not detected\n${cluster.logs()}`,
    );
    cluster.startTaskManager('tm-3', 1);
    await waitFor(
      async () => (await jobState(cluster.jobManagerUrl, id)) === 'FINISHED',
      60_000,
      () => `job did not finish\n${cluster.logs()}`,
    );
    const cp = await checkpoints();
    assert.ok(cp.latest.restored !== null, 'the new attempt restored a checkpoint');
    const lines = committedLines(out).sort();
    const expected = expectedRunningCounts({ events: EVENTS, keyOf: (i) => i % KEYS });
    assert.is(lines.length, EVENTS, 'nothing lost, nothing duplicated');
    assert.equal(lines, expected);
  } catch (e) {
    console.error(cluster.logs());
    throw e;
  } finally {
    await cluster.stop();
  }
});

test.run();
