// Stop-with-savepoint over REST, then restore at another parallelism (2 -> 4 -> 1): the committed output
// of the three runs together equals one uninterrupted run, every (key, count) exactly once.
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { committedLines, expectedRunningCounts } from '../../fixtures/running-count.ts';
import { LocalCluster, waitFor } from './local-cluster.ts';
import { getJson, jobState } from './rest.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/exactly-once-count.ts');
const EVENTS = 60_000;
const KEYS = 30;

type SavepointStatus = {
  status: { id: string };
  operation?: { location?: string; 'failure-cause'?: unknown };
};

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

test('stop with savepoint, restore at parallelism 4, stop again, restore at 1: exactly the uninterrupted output', async () => {
  const cluster = new LocalCluster();
  try {
    await cluster.startJobManager();
    cluster.startTaskManager('tm-1', 2);
    cluster.startTaskManager('tm-2', 2);
    const out = join(cluster.dir, 'out');
    const args = [out, join(cluster.dir, 'checkpoints'), String(EVENTS), '4000', String(KEYS)];
    const base = cluster.jobManagerUrl;
    let savepoint: string | undefined;
    for (const parallelism of [2, 4]) {
      const { jobid } = await post<{ jobid: string }>(`${base}/jobs`, {
        jobModule: JOB,
        args,
        parallelism,
        ...(savepoint === undefined ? {} : { savepointPath: savepoint }),
      });
      const before = committedLines(out).length;
      await waitFor(
        async () => committedLines(out).length > before + 500,
        30_000,
        () => `no progress\n${cluster.logs()}`,
      );
      assert.is(await jobState(base, jobid), 'RUNNING');
      const { 'request-id': rid } = await post<{ 'request-id': string }>(`${base}/jobs/${jobid}/stop`, {
        targetDirectory: join(cluster.dir, 'savepoints'),
      });
      let status: SavepointStatus = { status: { id: 'IN_PROGRESS' } };
      await waitFor(
        async () => {
          status = await getJson<SavepointStatus>(`${base}/jobs/${jobid}/savepoints/${rid}`);
          return status.status.id === 'COMPLETED';
        },
        30_000,
        () => cluster.logs(),
      );
      assert.ok(status.operation?.location, `savepoint failed: ${JSON.stringify(status.operation)}`);
      savepoint = status.operation!.location!;
      assert.is(await jobState(base, jobid), 'FINISHED');
    }
    const { jobid } = await post<{ jobid: string }>(`${base}/jobs`, {
      jobModule: JOB,
      args,
      parallelism: 1,
      savepointPath: savepoint,
    });
    await waitFor(
      async () => (await jobState(base, jobid)) === 'FINISHED',
      90_000,
      () => `last run did not finish\n${cluster.logs()}`,
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
