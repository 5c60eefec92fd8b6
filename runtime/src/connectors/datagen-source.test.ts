import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ManualProcessingTimeService } from '../time/processing-time-service.ts';
import { DataGeneratorSource } from './datagen-source.ts';
import { collectingOutput, createReader, type Drained, drain } from './reader-test-kit.ts';

const source = () =>
  new DataGeneratorSource((i, rng) => ({ i, v: rng.int(0, 1_000_000), c: rng.pick(['EUR', 'USD']) }), {
    count: 103,
    seed: 7,
  });

test('record i is the same at parallelism 1 and 4', async () => {
  const single = (await drain(await createReader(source()))).values;
  const parts = await Promise.all(
    [0, 1, 2, 3].map(async (s) => (await drain(await createReader(source(), s, 4))).values),
  );
  const merged = parts.flat().sort((a, b) => a.i - b.i);
  assert.is(single.length, 103);
  assert.equal(merged, single);
  assert.equal(
    single.map((r) => r.i),
    Array.from({ length: 103 }, (_, i) => i),
  );
});

test('another seed gives other values; the same seed the same ones', async () => {
  const a = (await drain(await createReader(source()))).values;
  const b = (await drain(await createReader(source()))).values;
  const other = new DataGeneratorSource((i, rng) => ({ i, v: rng.int(0, 1_000_000) }), {
    count: 103,
    seed: 8,
  });
  const c = (await drain(await createReader(other))).values;
  assert.equal(a, b);
  assert.not.equal(
    a.map((r) => r.v),
    c.map((r) => r.v),
  );
});

test('a reader restored from its snapshot continues where it stopped', async () => {
  const reader = await createReader(source(), 1, 2);
  const first = await drain(reader, 10, 10);
  const state = reader.snapshotState(1);
  const rest = await drain(await createReader(source(), 1, 2, state));
  const all = (await drain(await createReader(source(), 1, 2))).values;
  assert.equal([...first.values, ...rest.values], all);
});

test('restored at another parallelism, the readers together make exactly the missing records', async () => {
  // Four readers stop after 5, 0, 12 and 20 records; their splits are dealt to 3, then to 1 reader.
  const states = await Promise.all(
    [5, 0, 12, 20].map(async (stopAfter, s) => {
      const reader = await createReader(source(), s, 4);
      const seen = stopAfter === 0 ? [] : (await drain(reader, stopAfter, 7)).values;
      return { seen, state: reader.snapshotState(1) };
    }),
  );
  const splits = states.flatMap((s) => s.state);
  assert.equal(splits, [
    { nextIndex: 20, stride: 4 },
    { nextIndex: 1, stride: 4 },
    { nextIndex: 50, stride: 4 },
    { nextIndex: 83, stride: 4 },
  ]);
  const before = states.flatMap((s) => s.seen);
  const all = (await drain(await createReader(source()))).values;
  for (const parallelism of [3, 1]) {
    const dealt = [0, 1, 2].slice(0, parallelism).map((r) => splits.filter((_s, i) => i % parallelism === r));
    const after = await Promise.all(
      dealt.map(async (mine, r) => (await drain(await createReader(source(), r, parallelism, mine))).values),
    );
    const union = [...before, ...after.flat()].sort((a, b) => a.i - b.i);
    assert.equal(union, all);
  }
});

test('a reader restored with no splits ends at once, even when unbounded', async () => {
  const unbounded = new DataGeneratorSource((i) => i);
  const reader = await createReader(unbounded, 3, 4, []);
  assert.is(
    reader.pollNext(collectingOutput({ values: [], timestamps: [], deadLetters: [] }), 10),
    'end-of-input',
  );
  assert.equal(reader.snapshotState(1), []);
});

test('unbounded without a rate: every poll fills its budget and more is always available', async () => {
  const reader = await createReader(new DataGeneratorSource((i) => i * 10), 1, 3);
  const out: Drained<number> = { values: [], timestamps: [], deadLetters: [] };
  const output = collectingOutput(out);
  assert.is(reader.pollNext(output, 4), 'more-available');
  assert.is(reader.pollNext(output, 2), 'more-available');
  await reader.isAvailable();
  assert.equal(out.values, [10, 40, 70, 100, 130, 160]);
  assert.equal(reader.snapshotState(1), [{ nextIndex: 19, stride: 3 }]);
});

test('the rate limit shares recordsPerSecond over subtasks and waits on the clock for tokens', async () => {
  const clock = new ManualProcessingTimeService(1_000);
  // 40 records/s over 2 subtasks: 20/s each, one token every 50 ms; at most 10 ms of rate (at least 1 token) saved up.
  const limited = new DataGeneratorSource((i) => i, { count: 11, recordsPerSecond: 40 });
  const reader = await createReader(limited, 0, 2, undefined, clock);
  const out: Drained<number> = { values: [], timestamps: [], deadLetters: [] };
  const output = collectingOutput(out);
  assert.is(reader.pollNext(output, 100), 'nothing-available');
  let woke = false;
  const available = reader.isAvailable().then(() => {
    woke = true;
  });
  assert.is(reader.isAvailable(), reader.isAvailable(), 'one timer for all waiters');
  clock.advanceTo(1_049);
  await Promise.resolve();
  assert.is(woke, false);
  clock.advanceTo(1_050);
  await available;
  assert.is(reader.pollNext(output, 100), 'nothing-available');
  assert.equal(out.values, [0]);
  clock.advanceTo(2_000); // a long pause saves up only one token: no burst after a pause
  assert.is(reader.pollNext(output, 100), 'nothing-available');
  assert.equal(out.values, [0, 2]);
  for (const t of [2_050, 2_100, 2_150]) {
    clock.advanceTo(t);
    assert.is(reader.pollNext(output, 100), 'nothing-available');
  }
  assert.equal(out.values, [0, 2, 4, 6, 8]);
  clock.advanceTo(2_200);
  assert.is(reader.pollNext(output, 100), 'end-of-input', 'the last index (10) needs no more tokens');
  assert.equal(out.values, [0, 2, 4, 6, 8, 10]);
  reader.close();
  assert.is(clock.pendingCount(), 0);
});

test('timestampOf stamps records', async () => {
  const s = new DataGeneratorSource((i) => i, { count: 3, timestampOf: (_v, i) => 1000 + i });
  assert.equal((await drain(await createReader(s))).timestamps, [1000, 1001, 1002]);
});

test('invalid options are rejected with the field named', () => {
  assert.throws(
    () => new DataGeneratorSource((i) => i, { count: -1 }),
    /count must be a non-negative integer/,
  );
  assert.throws(
    () => new DataGeneratorSource((i) => i, { recordsPerSecond: 0 }),
    /recordsPerSecond must be positive/,
  );
  assert.throws(() => source().createReader(ctx(), [{ at: 3 }]), /cannot restore from \{"at":3\}/);
});

function ctx() {
  return { subtaskIndex: 0, parallelism: 1, operatorName: 'gen', clock: new ManualProcessingTimeService() };
}

test.run();
