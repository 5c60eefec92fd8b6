// Nexmark queries through a failure: the job runs with checkpoints, is cancelled mid-way, and is restored
// from its latest checkpoint at another parallelism. The committed output must equal an uninterrupted run:
// the generator's splits, the sliding-pane and session operators' state and timers, and the joins' state
// all survive the snapshot and the redistribution.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import { QUERIES } from '../../../runtime/bench/nexmark/queries/index.ts';
import { findLatestCheckpoint } from '../../../runtime/src/checkpoint/checkpoint-loader.ts';
import { FileCheckpointStorage } from '../../../runtime/src/checkpoint/file-checkpoint-storage.ts';
import { NexmarkSource } from '../../../runtime/src/connectors/nexmark/index.ts';
import { FileSink, StreamExecutionEnvironment } from '../../../runtime/src/index.ts';
import { committedLines } from '../../fixtures/running-count.ts';
import { runQuery, TEST_CONFIG } from './run-query.ts';

const EVENTS = 20_000;

function build(env: StreamExecutionEnvironment, query: string, out: string, rate?: number): void {
  const source = new NexmarkSource({
    count: EVENTS,
    config: TEST_CONFIG,
    ...(rate === undefined ? {} : { recordsPerSecond: rate }),
  });
  QUERIES[query]!(env.fromSource(source, source.watermarks(), 'nexmark'))
    .sinkTo(FileSink.forJsonLines(out))
    .uid('committed-output');
}

for (const query of ['q5', 'q11', 'q9', 'q20'])
  test(`${query}: stopped mid-way and restored at another parallelism, output exactly once`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'riffle-nexmark-'));
    const out = join(dir, 'out');
    const checkpoints = join(dir, 'checkpoints');
    try {
      const first = StreamExecutionEnvironment.getExecutionEnvironment({
        parallelism: 2,
      }).enableCheckpointing(100, { storage: checkpoints, retained: 2 });
      build(first, query, out, 8000);
      const job = first.executeAsync(query, { jobId: `${query}-job` });
      const deadline = Date.now() + 10_000;
      while ((job.checkpointStats()?.completed ?? 0) < 3) {
        if (Date.now() > deadline) throw new Error('no checkpoints completed');
        await new Promise((r) => setTimeout(r, 20));
      }
      await job.cancel();
      const latest = await findLatestCheckpoint(
        new FileCheckpointStorage(checkpoints),
        `${query}-job`,
        () => {},
      );
      assert.ok(latest !== undefined, 'a completed checkpoint exists');
      const second = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 3 });
      build(second, query, out);
      await second.execute(query, {
        fromCheckpoint: join(checkpoints, `${query}-job`, `chk-${latest.metadata.checkpointId}`),
      });
      const expected = (await runQuery(QUERIES[query]!, EVENTS)).map((r) => JSON.stringify(r)).sort();
      assert.ok(expected.length > 0);
      assert.deepEqual(committedLines(out).sort(), expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

test.run();
