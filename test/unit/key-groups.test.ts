// Key groups as Flink computes them, and canonical key hashing that never changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  assignToKeyGroup,
  computeDefaultMaxParallelism,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
} from '../../runtime/src/state/key-group-range.ts';
import { keyHashCode } from '../../runtime/src/state/key-hash.ts';
import { denormalizeKey, normalizeKey } from '../../runtime/src/state/key-normalizer.ts';

const ranges: [number, number, [number, number][]][] = [
  // [maxParallelism, parallelism, ranges]
  [128, 1, [[0, 127]]],
  [
    128,
    2,
    [
      [0, 63],
      [64, 127],
    ],
  ],
  [
    128,
    3,
    [
      [0, 42],
      [43, 85],
      [86, 127],
    ],
  ],
  [
    10,
    4,
    [
      [0, 2],
      [3, 4],
      [5, 7],
      [8, 9],
    ],
  ],
  [
    4,
    4,
    [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ],
  ],
];

for (const [m, p, expected] of ranges) {
  test(`key-group ranges for maxParallelism ${m}, parallelism ${p}`, () => {
    const got = Array.from({ length: p }, (_, i) => computeKeyGroupRangeForOperatorIndex(m, p, i)).map(
      (r) => [r.start, r.end],
    );
    assert.equal(got, expected);
  });
}

test('every key group belongs to exactly the subtask whose range contains it', () => {
  for (const m of [1, 7, 128, 1000]) {
    for (let p = 1; p <= Math.min(m, 12); p++) {
      for (let kg = 0; kg < m; kg++) {
        const owner = computeOperatorIndexForKeyGroup(m, p, kg);
        const r = computeKeyGroupRangeForOperatorIndex(m, p, owner);
        assert.ok(kg >= r.start && kg <= r.end, `m=${m} p=${p} kg=${kg}`);
      }
    }
  }
});

test('default maxParallelism follows Flink', () => {
  assert.equal([1, 4, 100, 200, 30000].map(computeDefaultMaxParallelism), [128, 128, 256, 512, 32768]);
});

test('key hashes are pinned: changing them would move state between key groups', () => {
  // If this test fails, the hashing changed and every snapshot's key groups would be wrong.
  assert.is(keyHashCode('acct-1'), 1766915464);
  assert.is(keyHashCode(42), 1825338246);
  assert.is(keyHashCode(['a', 1]), 1523506024);
  assert.is(assignToKeyGroup('acct-1', 128), 59);
});

test('equal keys hash alike; distinct types do not collide by accident', () => {
  assert.is(keyHashCode(0), keyHashCode(-0));
  assert.is(keyHashCode(['x', 2]), keyHashCode(['x', 2]));
  assert.is.not(keyHashCode('1'), keyHashCode(1));
  assert.is.not(keyHashCode(true), keyHashCode('true'));
  assert.is(keyHashCode(10n), keyHashCode(10n));
});

test('tuple keys survive normalization for state maps', () => {
  const k = ['acct', 7, 9n] as const;
  assert.equal(denormalizeKey(normalizeKey(k)), k);
  assert.is(normalizeKey('plain'), 'plain');
});

test('object keys are rejected with advice', () => {
  assert.throws(() => keyHashCode({ a: 1 }), /return a tuple of its fields/);
});

test.run();
