// Exactly-once in the local engine: a keyed running count over a deterministic source writes to a
// two-phase file sink that commits on checkpoint completion. The job is stopped mid-way, restored from its
// latest checkpoint at another parallelism, and the committed output equals an uninterrupted run: every
// (key, count) pair exactly once, nothing lost and nothing duplicated.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findLatestCheckpoint } from '../../runtime/src/checkpoint/checkpoint-loader.ts';
import { FileCheckpointStorage } from '../../runtime/src/checkpoint/file-checkpoint-storage.ts';
import {
  DataGeneratorSource,
  FileSink,
  type StateBackendConfig,
  StreamExecutionEnvironment,
} from '../../runtime/src/index.ts';
import { committedLines, expectedRunningCounts, runningCountJob } from '../fixtures/running-count.ts';

const KEYS = 50;
const EVENTS = 20_000;

function build(env: StreamExecutionEnvironment, out: string, rate?: number): void {
  runningCountJob(env, out, {
    events: EVENTS,
    keyOf: (i) => i % KEYS,
    ...(rate === undefined ? {} : { rate }),
  });
}

const BACKENDS: [StateBackendConfig, StateBackendConfig][] = [
  [{ type: 'hashmap' }, { type: 'hashmap' }],
  [
    { type: 'lmdb', cacheEntries: 16 },
    { type: 'lmdb', cacheEntries: 16 },
  ],
  [{ type: 'lmdb', cacheEntries: 16 }, { type: 'hashmap' }],
];

for (const [before, after] of BACKENDS)
  test(`stop mid-way, restore from the latest checkpoint at another parallelism (${before.type} -> ${after.type}): output exactly once`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'riffle-eo-'));
    const out = join(dir, 'out');
    const checkpoints = join(dir, 'checkpoints');
    try {
      const first = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 })
        .setStateBackend(before)
        .enableCheckpointing(100, { storage: checkpoints, retained: 2 });
      build(first, out, 8000);
      const job = first.executeAsync('eo', { jobId: 'eo-job' });
      const deadline = Date.now() + 10_000;
      while ((job.checkpointStats()?.completed ?? 0) < 3) {
        if (Date.now() > deadline) throw new Error('no checkpoints completed');
        await new Promise((r) => setTimeout(r, 20));
      }
      await job.cancel();
      const partial = committedLines(out).length;
      assert.ok(partial > 0 && partial < EVENTS, `some output committed before the stop (${partial})`);

      const latest = await findLatestCheckpoint(new FileCheckpointStorage(checkpoints), 'eo-job', () => {});
      assert.ok(latest !== undefined, 'a completed checkpoint exists');
      const second = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 3 }).setStateBackend(
        after,
      );
      build(second, out);
      await second.execute('eo', {
        fromCheckpoint: join(checkpoints, 'eo-job', `chk-${latest.metadata.checkpointId}`),
      });

      const lines = committedLines(out).sort();
      const expected = expectedRunningCounts({ events: EVENTS, keyOf: (i) => i % KEYS });
      assert.is(lines.length, EVENTS, 'no record lost or duplicated');
      assert.equal(lines, expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

test('a checkpoint that does not fit the job is refused, naming the problem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-eo-'));
  try {
    const env = StreamExecutionEnvironment.getExecutionEnvironment().enableCheckpointing(50, {
      storage: join(dir, 'cp'),
    });
    build(env, join(dir, 'out'), 5000);
    const job = env.executeAsync('fit', { jobId: 'fit-job' });
    while ((job.checkpointStats()?.completed ?? 0) < 1) await new Promise((r) => setTimeout(r, 20));
    await job.cancel();
    const latest = (await findLatestCheckpoint(
      new FileCheckpointStorage(join(dir, 'cp')),
      'fit-job',
      () => {},
    ))!;
    const path = join(dir, 'cp', 'fit-job', `chk-${latest.metadata.checkpointId}`);

    const otherMax = StreamExecutionEnvironment.getExecutionEnvironment({ maxParallelism: 64 });
    build(otherMax, join(dir, 'out2'));
    await otherMax.execute('fit', { fromCheckpoint: path }).then(
      () => assert.unreachable('must refuse another maxParallelism'),
      (e: Error) => assert.match(e.message, /maxParallelism 64, but its state was written with 128/),
    );

    const renamed = StreamExecutionEnvironment.getExecutionEnvironment();
    renamed
      .fromSource(new DataGeneratorSource((i) => ({ key: i % KEYS }), { count: 10 }), undefined, 'events')
      .uid('events')
      .sinkTo(FileSink.forJsonLines(join(dir, 'out3')));
    await renamed.execute('fit', { fromCheckpoint: path }).then(
      () => assert.unreachable('must refuse unknown operator state'),
      (e: Error) => assert.match(e.message, /uid "running-count", which this job does not have/),
    );
    await renamed.execute('fit', { fromCheckpoint: path, allowNonRestoredState: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupt latest checkpoint falls back to the previous one with a warning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-eo-'));
  try {
    const env = StreamExecutionEnvironment.getExecutionEnvironment().enableCheckpointing(50, {
      storage: join(dir, 'cp'),
      retained: 3,
    });
    build(env, join(dir, 'out'), 5000);
    const job = env.executeAsync('fallback', { jobId: 'fb' });
    while ((job.checkpointStats()?.completed ?? 0) < 3) await new Promise((r) => setTimeout(r, 20));
    await job.cancel();
    const storage = new FileCheckpointStorage(join(dir, 'cp'));
    const chks = (await storage.list('fb')).map((n) => Number(n.slice(4))).sort((a, b) => b - a);
    const newest = chks[0]!;
    const files = readdirSync(join(dir, 'cp', 'fb', `chk-${newest}`, 'running-count'));
    rmSync(join(dir, 'cp', 'fb', `chk-${newest}`, 'running-count', files[0]!));
    const warnings: string[] = [];
    const latest = await findLatestCheckpoint(storage, 'fb', (w) => warnings.push(w));
    assert.is(latest?.metadata.checkpointId, chks[1]);
    assert.match(warnings[0]!, `skipping checkpoint ${newest}`);
    assert.match(warnings[0]!, 'misses the state file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
