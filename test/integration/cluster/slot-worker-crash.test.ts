// A slot worker thread that dies (an error escaped its tasks) is replaced: the TaskManager starts a new
// worker and registers its new data endpoint, the JobManager fails over, and the job restores from its
// latest checkpoint and finishes with its output exactly once.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EVENTS, KEYS } from '../../fixtures/jobs/worker-crash-count.ts';
import { committedLines, expectedRunningCounts } from '../../fixtures/running-count.ts';
import { LocalCluster, waitFor } from './local-cluster.ts';
import { jobState, submitJob } from './rest.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/worker-crash-count.ts');

test('a crashed slot worker is replaced and the job recovers exactly once', async () => {
  const cluster = new LocalCluster();
  try {
    await cluster.startJobManager();
    cluster.startTaskManager('tm-1', 1);
    cluster.startTaskManager('tm-2', 1);
    const out = join(cluster.dir, 'out');
    const marker = join(cluster.dir, 'escaped');
    const id = await submitJob(cluster.jobManagerUrl, {
      jobModule: JOB,
      args: [out, join(cluster.dir, 'checkpoints'), marker],
      parallelism: 2,
    });
    await waitFor(
      async () => (await jobState(cluster.jobManagerUrl, id)) === 'FINISHED',
      90_000,
      () => `job did not finish\n${cluster.logs()}`,
    );
    assert.ok(existsSync(marker), 'the error escaped once');
    const everything = cluster.processes.map((p) => cluster.tail(p, 100_000)).join('\n');
    assert.match(everything, /slot worker crashed; starting a new one/);
    const lines = committedLines(out).sort();
    assert.is(lines.length, EVENTS, 'nothing lost, nothing duplicated');
    assert.equal(lines, expectedRunningCounts({ events: EVENTS, keyOf: (i) => i % KEYS }));
  } catch (e) {
    console.error(cluster.logs());
    throw e;
  } finally {
    await cluster.stop();
  }
});

test.run();
