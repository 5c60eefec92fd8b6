// JobManager high availability: a JobManager running a job in application mode is killed with SIGKILL; a
// new one with the same job id finds the HA metadata beside the checkpoints, restores the latest
// checkpoint, and the committed output stays exactly once.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { committedLines, expectedRunningCounts } from '../../fixtures/running-count.ts';
import { LocalCluster, waitFor } from './local-cluster.ts';
import { getJson, jobState } from './rest.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/exactly-once-count.ts');
const JOB_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const EVENTS = 30_000;
const KEYS = 20;

test('a restarted JobManager with the same job id resumes from the latest checkpoint', async () => {
  const cluster = new LocalCluster();
  try {
    const out = join(cluster.dir, 'out');
    const checkpoints = join(cluster.dir, 'checkpoints');
    const appMode = [
      '--job',
      JOB,
      '--job-id',
      JOB_ID,
      '--parallelism',
      '2',
      '--',
      out,
      checkpoints,
      String(EVENTS),
      '4000',
      String(KEYS),
    ];
    const first = await cluster.startJobManager({ args: appMode });
    const port = Number(new URL(cluster.jobManagerUrl).port);
    cluster.startTaskManager('tm-1', 1);
    cluster.startTaskManager('tm-2', 1);
    type Checkpoints = { counts: { completed: number }; latest: { restored: { id: number } | null } };
    const checkpointsOf = () => getJson<Checkpoints>(`${cluster.jobManagerUrl}/jobs/${JOB_ID}/checkpoints`);
    await waitFor(
      async () => (await checkpointsOf()).counts.completed >= 3,
      30_000,
      () => `no checkpoints\n${cluster.logs()}`,
    );
    await cluster.kill(first, 'SIGKILL');
    assert.ok(
      existsSync(join(checkpoints, JOB_ID, 'ha-metadata.json')),
      'HA metadata beside the checkpoints',
    );

    await cluster.startJobManager({ args: appMode, port, name: 'jobmanager-2' });
    await waitFor(
      async () => (await jobState(cluster.jobManagerUrl, JOB_ID)) === 'FINISHED',
      90_000,
      () => `job did not finish\n${cluster.logs()}`,
    );
    const cp = await checkpointsOf();
    assert.ok(
      cp.latest.restored !== null && cp.latest.restored.id >= 3,
      'the new JobManager restored the checkpoint',
    );
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
