import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DataGeneratorSource } from './datagen-source.ts';
import { createReader, drain } from './reader-test-kit.ts';

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
});

test.run();
