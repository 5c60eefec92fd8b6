import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SeededRandom, seededRandom } from './seeded-random.ts';

const draw = (rng: SeededRandom) => [rng.next(), rng.int(1, 6), rng.pick(['a', 'b', 'c'])];

test('the same seed and index give the same numbers; reset reuses one instance', () => {
  const reused = new SeededRandom(0, 0);
  for (const index of [0, 1, 17, 2 ** 32 + 5]) {
    assert.equal(draw(reused.reset(7, index)), draw(seededRandom(7, index)));
  }
});

test('neighbouring indices, seeds and high index words give different streams', () => {
  const first = (seed: number, index: number) => seededRandom(seed, index).next();
  assert.is.not(first(7, 0), first(7, 1));
  assert.is.not(first(7, 0), first(8, 0));
  assert.is.not(first(7, 5), first(7, 2 ** 32 + 5));
});

test('int stays within its bounds and reaches both ends; next stays in [0, 1)', () => {
  const seen = new Set<number>();
  const rng = new SeededRandom(1, 0);
  for (let i = 0; i < 2000; i++) {
    const x = rng.reset(1, i).int(-2, 2);
    assert.ok(x >= -2 && x <= 2 && Number.isInteger(x));
    seen.add(x);
    const f = rng.next();
    assert.ok(f >= 0 && f < 1);
  }
  assert.equal(
    [...seen].sort((a, b) => a - b),
    [-2, -1, 0, 1, 2],
  );
});

test.run();
