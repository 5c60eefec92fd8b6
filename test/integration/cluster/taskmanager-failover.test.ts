// A TaskManager killed with SIGKILL is detected within the heartbeat timeout, the failure is explained in
// /jobs/:id/exceptions, and the job runs again once a TaskManager is back.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalCluster, waitFor } from './local-cluster.ts';
import { getJson, jobState, submitJob } from './rest.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/unbounded-counter.ts');
const HEARTBEAT_TIMEOUT = 3000;

function linesWritten(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, f) => n + readFileSync(join(dir, f), 'utf8').split('\n').length - 1, 0);
}

test('a lost TaskManager is detected and the job restarts on a new one', async () => {
  const cluster = new LocalCluster();
  try {
    await cluster.startJobManager({ heartbeatTimeoutMs: HEARTBEAT_TIMEOUT });
    const tmA = cluster.startTaskManager('tm-a', 1);
    const out = join(cluster.dir, 'out');
    const id = await submitJob(cluster.jobManagerUrl, { jobModule: JOB, args: [out, '500'], parallelism: 1 });
    await waitFor(
      async () => linesWritten(out) > 50,
      20_000,
      () => `no output from the job\n${cluster.logs()}`,
    );
    assert.is(await jobState(cluster.jobManagerUrl, id), 'RUNNING');

    const killedAt = Date.now();
    await cluster.kill(tmA, 'SIGKILL');
    await waitFor(
      async () => (await jobState(cluster.jobManagerUrl, id)) !== 'RUNNING',
      HEARTBEAT_TIMEOUT + 2000,
      () => `loss not detected\n${cluster.logs()}`,
    );
    const detectedAfter = Date.now() - killedAt;
    assert.ok(detectedAfter <= HEARTBEAT_TIMEOUT + 2000, `detected after ${detectedAfter} ms`);
    const ex = await getJson<{
      exceptionHistory: { entries: { exceptionName: string; stacktrace: string }[] };
    }>(`${cluster.jobManagerUrl}/jobs/${id}/exceptions`);
    assert.is(ex.exceptionHistory.entries[0]?.exceptionName, 'TaskManagerLostException');
    assert.match(ex.exceptionHistory.entries[0]!.stacktrace, 'tm-a');

    const before = linesWritten(out);
    cluster.startTaskManager('tm-b', 1);
    await waitFor(
      async () => (await jobState(cluster.jobManagerUrl, id)) === 'RUNNING',
      20_000,
      () => `job did not come back\n${cluster.logs()}`,
    );
    await waitFor(
      async () => linesWritten(out) > before + 50,
      20_000,
      () => `no new output after restart\n${cluster.logs()}`,
    );
  } catch (e) {
    console.error(cluster.logs());
    throw e;
  } finally {
    await cluster.stop();
  }
});

test.run();
