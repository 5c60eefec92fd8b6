// Checkpoints in the real S3 server of the test environment: a job with a keyed running count and a
// two-phase file sink is stopped mid-way and restored from its latest checkpoint in S3 at another
// parallelism; the committed output is exactly the uninterrupted one. Also: the on-storage layout.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findLatestCheckpoint } from '../../runtime/src/checkpoint/checkpoint-loader.ts';
import { checkpointStorageFor } from '../../runtime/src/checkpoint/checkpoint-storage-for.ts';
import { StreamExecutionEnvironment } from '../../runtime/src/index.ts';
import { expectedRunningCounts, runningCountJob } from '../fixtures/running-count.ts';
import { loadTestEnv, uniqueName } from './test-env.ts';

const KEYS = 25;
const EVENTS = 10_000;

function build(env: StreamExecutionEnvironment, out: string, rate?: number): void {
  runningCountJob(env, out, {
    events: EVENTS,
    keyOf: (i) => i % KEYS,
    ...(rate === undefined ? {} : { rate }),
  });
}

test('checkpoints in S3: stop, restore from the latest checkpoint at another parallelism, exactly once', async () => {
  const env = loadTestEnv();
  const uri = `s3://${env.s3Bucket}/${uniqueName('checkpoints')}`;
  const dir = mkdtempSync(join(tmpdir(), 'riffle-s3-'));
  const out = join(dir, 'out');
  try {
    const first = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 }).enableCheckpointing(
      150,
      { storage: uri, retained: 2 },
    );
    build(first, out, 4000);
    const job = first.executeAsync('s3-eo', { jobId: 's3job' });
    const deadline = Date.now() + 20_000;
    while ((job.checkpointStats()?.completed ?? 0) < 3) {
      if (Date.now() > deadline)
        throw new Error(`no checkpoints completed in S3: ${JSON.stringify(job.checkpointStats())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await job.cancel();

    const storage = checkpointStorageFor(uri);
    // Retention deletes older checkpoints after a checkpoint completes, in the background.
    const checkpointDirs = async () => (await storage.list('s3job')).filter((c) => c.startsWith('chk-'));
    const until = Date.now() + 10_000;
    while ((await checkpointDirs()).length > 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    const chks = await checkpointDirs();
    assert.ok(chks.length <= 2, `retention keeps the last 2: ${chks}`);
    const latest = await findLatestCheckpoint(storage, 's3job', () => {});
    assert.ok(latest !== undefined);
    const layout = await storage.list(`s3job/chk-${latest.metadata.checkpointId}`);
    assert.equal(layout, ['_metadata', 'committed-output', 'events', 'running-count']);

    const second = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 3 });
    build(second, out);
    await second.execute('s3-eo', { fromCheckpoint: `${uri}/s3job/chk-${latest.metadata.checkpointId}` });
    const lines = readdirSync(out)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(out, f), 'utf8').split('\n'))
      .filter((l) => l.length > 0)
      .sort();
    const expected = expectedRunningCounts({ events: EVENTS, keyOf: (i) => i % KEYS });
    assert.is(lines.length, EVENTS);
    assert.equal(lines, expected);
    await storage.remove('s3job');
    assert.equal(await storage.list('s3job'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
