// Incremental checkpoints of the LMDB backend: after a full snapshot, checkpoints carry only the keys that
// changed, refer to the checkpoints they build on (which retention keeps), and a restore materializes the
// chain: stopped mid-way and restored at another parallelism (on the heap backend), the committed output is
// exactly the uninterrupted one.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findLatestCheckpoint } from '../../runtime/src/checkpoint/checkpoint-loader.ts';
import { parseMetadata } from '../../runtime/src/checkpoint/checkpoint-metadata.ts';
import { FileCheckpointStorage } from '../../runtime/src/checkpoint/file-checkpoint-storage.ts';
import { decodeState } from '../../runtime/src/checkpoint/state-encoding.ts';
import { decodeKeyGroup, type OperatorSubtaskState } from '../../runtime/src/checkpoint/task-snapshot.ts';
import { type StateBackendConfig, StreamExecutionEnvironment } from '../../runtime/src/index.ts';
import { committedLines, expectedRunningCounts, runningCountJob } from '../fixtures/running-count.ts';

const COLD_KEYS = 4000;
const HOT_KEYS = 20;
const EVENTS = 24_000;
const keyOf = (i: number) => (i < COLD_KEYS ? i : i % HOT_KEYS);

function build(env: StreamExecutionEnvironment, out: string, rate?: number): void {
  runningCountJob(env, out, { events: EVENTS, keyOf: keyOf, ...(rate === undefined ? {} : { rate }) });
}

test('only changed keys are uploaded; the chain restores exactly once at another parallelism', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-incr-'));
  const out = join(dir, 'out');
  const checkpoints = join(dir, 'checkpoints');
  const lmdb: StateBackendConfig = { type: 'lmdb', cacheEntries: 500, fullSnapshotEvery: 1000 };
  try {
    const first = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 })
      .setStateBackend(lmdb)
      .enableCheckpointing(60, { storage: checkpoints, retained: 2 });
    build(first, out, 6000);
    const job = first.executeAsync('incr', { jobId: 'incr-job' });
    const deadline = Date.now() + 20_000;
    // Wait until the cold keys exist and several checkpoints followed on hot keys only.
    let coldDoneAt: number | undefined;
    for (;;) {
      if (Date.now() > deadline)
        throw new Error(`too few checkpoints: ${JSON.stringify(job.checkpointStats())}`);
      const completed = job.checkpointStats()?.completed ?? 0;
      if (coldDoneAt === undefined && committedLines(out).length >= COLD_KEYS) coldDoneAt = completed;
      if (coldDoneAt !== undefined && completed >= coldDoneAt + 4) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await job.cancel();

    const storage = new FileCheckpointStorage(checkpoints);
    const latest = await findLatestCheckpoint(storage, 'incr-job', () => {});
    assert.ok(latest !== undefined);
    const id = latest.metadata.checkpointId;
    const metadata = parseMetadata(
      readFileSync(join(checkpoints, 'incr-job', `chk-${id}`, '_metadata')),
      'latest metadata',
    );
    assert.ok((metadata.references ?? []).length > 0, `checkpoint ${id} builds on earlier ones`);
    for (const r of metadata.references ?? [])
      assert.ok(
        existsSync(join(checkpoints, 'incr-job', `chk-${r}`, '_metadata')),
        `referenced chk-${r} kept`,
      );
    // The files of the latest checkpoint hold only the hot keys that changed; materialized, all keys.
    const entriesIn = (states: Iterable<OperatorSubtaskState>) => {
      let n = 0;
      for (const st of states)
        for (const bytes of Object.values(st.keyGroups)) n += decodeKeyGroup(bytes).state.length;
      return n;
    };
    const files = readdirSync(join(checkpoints, 'incr-job', `chk-${id}`, 'running-count')).map((f) =>
      decodeState<OperatorSubtaskState>(
        readFileSync(join(checkpoints, 'incr-job', `chk-${id}`, 'running-count', f)),
      ),
    );
    const uploaded = entriesIn(files);
    const whole = entriesIn(latest.states.get('running-count')!);
    assert.ok(whole >= COLD_KEYS, `materialized state has every key (${whole})`);
    assert.ok(uploaded <= HOT_KEYS, `the increment holds only changed hot keys (${uploaded} entries)`);

    const second = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 3 });
    build(second, out);
    await second.execute('incr', { fromCheckpoint: join(checkpoints, 'incr-job', `chk-${id}`) });

    const expected = expectedRunningCounts({ events: EVENTS, keyOf });
    const lines = committedLines(out).sort();
    assert.is(lines.length, EVENTS, 'no record lost or duplicated');
    assert.equal(lines, expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a savepoint taken while checkpoints are incremental stands alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-incr-sp-'));
  const out = join(dir, 'out');
  const checkpoints = join(dir, 'checkpoints');
  try {
    const first = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 })
      .setStateBackend({ type: 'lmdb', cacheEntries: 500, fullSnapshotEvery: 1000 })
      .enableCheckpointing(60, { storage: checkpoints, retained: 1 });
    build(first, out, 6000);
    const job = first.executeAsync('incr-sp', { jobId: 'incr-sp-job' });
    const deadline = Date.now() + 20_000;
    while ((job.checkpointStats()?.completed ?? 0) < 4 || committedLines(out).length < COLD_KEYS) {
      if (Date.now() > deadline) throw new Error('too few checkpoints');
      await new Promise((r) => setTimeout(r, 10));
    }
    const savepoint = await job.stopWithSavepoint(join(dir, 'savepoints'));
    // The checkpoints (and every increment) are gone: the savepoint alone must restore the job.
    rmSync(checkpoints, { recursive: true, force: true });
    const second = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 1 });
    build(second, out);
    await second.execute('incr-sp', { fromCheckpoint: savepoint.replace(/^file:\/\//, '') });
    const lines = committedLines(out);
    assert.is(lines.length, EVENTS, 'no record lost or duplicated');
    assert.is(new Set(lines).size, EVENTS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
