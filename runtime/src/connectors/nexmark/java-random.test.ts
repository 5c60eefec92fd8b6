import assert from 'node:assert/strict';
import { test } from 'uvu';
import { JavaRandom } from './java-random.ts';

// Reference values printed by the JDK: new Random(seed).nextInt() / nextDouble().
test('nextInt() matches java.util.Random for well-known seeds', () => {
  assert.equal(new JavaRandom(42).nextIntUnbounded(), -1170105035);
  assert.equal(new JavaRandom(0).nextIntUnbounded(), -1155484576);
});

test('nextDouble() matches java.util.Random', () => {
  assert.equal(new JavaRandom(0).nextDouble(), 0.730967787376657);
});

test('nextInt(bound) stays in range and is uniform enough', () => {
  const r = new JavaRandom(7);
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 70_000; i++) counts[r.nextInt(7)]!++;
  for (const c of counts) assert.ok(c > 9_000 && c < 11_000, `bucket ${c}`);
  for (let i = 0; i < 1000; i++) {
    const v = r.nextInt(16);
    assert.ok(v >= 0 && v < 16);
  }
});

test('setSeed restarts the same sequence', () => {
  const r = new JavaRandom(123);
  const a = [r.nextInt(1000), r.nextInt(1000), r.nextDouble()];
  r.setSeed(123);
  assert.deepEqual([r.nextInt(1000), r.nextInt(1000), r.nextDouble()], a);
});

test.run();
