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
import {
  DataGeneratorSource,
  FileSink,
  type StateBackendConfig,
  StreamExecutionEnvironment,
} from '../../runtime/src/index.ts';

const COLD_KEYS = 4000;
const HOT_KEYS = 20;
const EVENTS = 24_000;
const keyOf = (i: number) => (i < COLD_KEYS ? i : i % HOT_KEYS);

function build(env: StreamExecutionEnvironment, out: string, rate?: number): void {
  env
    .fromSource(
      new DataGeneratorSource((i) => ({ key: keyOf(i) }), {
        count: EVENTS,
        ...(rate === undefined ? {} : { recordsPerSecond: rate }),
      }),
      undefined,
      'events',
    )
    .uid('events')
    .keyBy((e) => e.key)
    .aggregate({
      createAccumulator: () => ({ key: -1, count: 0 }),
      add: (e: { key: number }, acc: { key: number; count: number }) => ({
        key: e.key,
        count: acc.count + 1,
      }),
      getResult: (acc) => acc,
      merge: (a, b) => ({ key: a.key, count: a.count + b.count }),
    })
    .uid('running-count')
    .sinkTo(FileSink.forJsonLines(out))
    .uid('committed-output');
}

function committed(out: string): string[] {
  if (!existsSync(out)) return [];
  return readdirSync(out)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(out, f), 'utf8').split('\n'))
    .filter((l) => l.length > 0);
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
      if (coldDoneAt === undefined && committed(out).length >= COLD_KEYS) coldDoneAt = completed;
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

    const totals = new Map<number, number>();
    for (let i = 0; i < EVENTS; i++) totals.set(keyOf(i), (totals.get(keyOf(i)) ?? 0) + 1);
    const expected: string[] = [];
    for (const [key, n] of totals)
      for (let c = 1; c <= n; c++) expected.push(JSON.stringify({ key, count: c }));
    const lines = committed(out).sort();
    assert.is(lines.length, EVENTS, 'no record lost or duplicated');
    assert.equal(lines, expected.sort());
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
    while ((job.checkpointStats()?.completed ?? 0) < 4 || committed(out).length < COLD_KEYS) {
      if (Date.now() > deadline) throw new Error('too few checkpoints');
      await new Promise((r) => setTimeout(r, 10));
    }
    const savepoint = await job.stopWithSavepoint(join(dir, 'savepoints'));
    // The checkpoints (and every increment) are gone: the savepoint alone must restore the job.
    rmSync(checkpoints, { recursive: true, force: true });
    const second = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 1 });
    build(second, out);
    await second.execute('incr-sp', { fromCheckpoint: savepoint.replace(/^file:\/\//, '') });
    const lines = committed(out);
    assert.is(lines.length, EVENTS, 'no record lost or duplicated');
    assert.is(new Set(lines).size, EVENTS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
