// Exactly-once under repeated failure: a keyed running count runs in application mode on three
// TaskManagers (one spare), with heap state and checkpoints in file://, and with LMDB state and
// incremental checkpoints in the real S3 server. A random TaskManager is killed with SIGKILL three times
// (each replaced, as a Kubernetes Deployment would) and the JobManager once (restarted with the same job
// id, as a Deployment would). The committed output must equal the failure-free run exactly. The victims are chosen by a seed printed on failure (RIFFLE_CHAOS_SEED repeats).
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SeededRandom } from '../../../runtime/src/connectors/seeded-random.ts';
import { committedLines, expectedRunningCounts } from '../../fixtures/running-count.ts';
import { loadTestEnv, uniqueName } from '../test-env.ts';
import { LocalCluster, type ManagedProcess, waitFor } from './local-cluster.ts';
import { getJson } from './rest.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/exactly-once-count.ts');
const EVENTS = 48_000;
const RATE = 4000;
const KEYS = 30;

type Checkpoints = { latest: { completed: { id: number } | null; restored: { id: number } | null } };

async function chaos(storage: (cluster: LocalCluster) => string): Promise<void> {
  const seed = Number(process.env.RIFFLE_CHAOS_SEED ?? Date.now() % 1_000_000);
  const random = new SeededRandom(seed, 0);
  const cluster = new LocalCluster();
  const jobId = randomBytes(16).toString('hex');
  const events: string[] = [`seed ${seed}`];
  try {
    const out = join(cluster.dir, 'out');
    const appMode = ['--job', JOB, '--job-id', jobId, '--parallelism', '2', '--'];
    const args = [...appMode, out, storage(cluster), String(EVENTS), String(RATE), String(KEYS)];
    let jobManager = await cluster.startJobManager({ args, heartbeatTimeoutMs: 3000 });
    const port = Number(new URL(cluster.jobManagerUrl).port);
    const live: ManagedProcess[] = ['tm-1', 'tm-2', 'tm-3'].map((n) => cluster.startTaskManager(n, 1));
    let next = 4;
    const latest = async () => {
      const cp = await getJson<Checkpoints>(`${cluster.jobManagerUrl}/jobs/${jobId}/checkpoints`).catch(
        () => undefined,
      );
      return cp?.latest.completed?.id ?? 0;
    };
    const state = async () =>
      (await getJson<{ state: string }>(`${cluster.jobManagerUrl}/jobs/${jobId}`).catch(() => undefined))
        ?.state;
    // Each failure waits until the job has completed two more checkpoints, so every failure is recovered
    // from a checkpoint taken after the previous one.
    let seen = 0;
    for (const target of ['taskmanager', 'taskmanager', 'jobmanager', 'taskmanager'] as const) {
      const after = seen;
      await waitFor(
        async () => (await latest()) >= after + 2,
        60_000,
        () => `no progress after ${events.join(', ')}\n${cluster.logs()}`,
      );
      seen = await latest();
      if ((await state()) === 'FINISHED') break;
      if (target === 'jobmanager') {
        await cluster.kill(jobManager, 'SIGKILL');
        events.push(`SIGKILL jobmanager after checkpoint ${seen}`);
        jobManager = await cluster.startJobManager({
          args,
          port,
          heartbeatTimeoutMs: 3000,
          name: 'jobmanager-2',
        });
      } else {
        const victim = live.splice(Math.floor(random.next() * live.length), 1)[0]!;
        await cluster.kill(victim, 'SIGKILL');
        events.push(`SIGKILL ${victim.name} after checkpoint ${seen}`);
        live.push(cluster.startTaskManager(`tm-${next++}`, 1));
      }
    }
    await waitFor(
      async () => (await state()) === 'FINISHED',
      120_000,
      () => `job did not finish after ${events.join(', ')}\n${cluster.logs()}`,
    );
    assert.ok(events.length >= 4, `at least three failures happened before the end: ${events.join(', ')}`);
    const lines = committedLines(out).sort();
    assert.is(lines.length, EVENTS, `nothing lost, nothing duplicated (${events.join(', ')})`);
    assert.equal(lines, expectedRunningCounts({ events: EVENTS, keyOf: (i) => i % KEYS }));
  } catch (e) {
    console.error(`chaos run: ${events.join(', ')}\n${cluster.logs()}`);
    throw e;
  } finally {
    await cluster.stop();
  }
}

test('SIGKILL of random TaskManagers and of the JobManager, checkpoints in file://: exactly once', () =>
  chaos((cluster) => join(cluster.dir, 'checkpoints')));

test('SIGKILL of random TaskManagers and of the JobManager, LMDB state with incremental checkpoints in S3: exactly once', async () => {
  const env = loadTestEnv();
  // The processes inherit the environment: their keyed state lives in LMDB, checkpoints are incremental.
  process.env.RIFFLE_STATE_BACKEND = 'lmdb';
  try {
    await chaos(() => `s3://${env.s3Bucket}/${uniqueName('chaos-checkpoints')}`);
  } finally {
    delete process.env.RIFFLE_STATE_BACKEND;
  }
});

test.run();
