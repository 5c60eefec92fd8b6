// Key-group ranges against Flink's KeyGroupRangeAssignment formulas, as properties over many
// (maxParallelism, parallelism), and key hashing pinned so a change to it is caught.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  assignToKeyGroup,
  checkParallelism,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
} from '../../runtime/src/state/key-group-range.ts';
import { keyHashCode } from '../../runtime/src/state/key-hash.ts';
import { denormalizeKey, normalizeKey } from '../../runtime/src/state/key-normalizer.ts';

const cases: [number, number][] = [];
for (const m of [1, 2, 3, 10, 127, 128, 129, 1000, 32768]) {
  for (const p of [1, 2, 3, 4, 5, 7, 8, 16, 31, 64, 100, 128]) if (p <= m) cases.push([m, p]);
}

test('ranges of all subtasks cover [0, maxParallelism) exactly once, in order, sizes differing by at most 1', () => {
  for (const [m, p] of cases) {
    let next = 0;
    const sizes: number[] = [];
    for (let i = 0; i < p; i++) {
      const r = computeKeyGroupRangeForOperatorIndex(m, p, i);
      assert.is(r.start, next, `m=${m} p=${p} subtask ${i} starts where ${i - 1} ended`);
      assert.ok(r.end >= r.start, `m=${m} p=${p} subtask ${i} is not empty`);
      sizes.push(r.end - r.start + 1);
      next = r.end + 1;
    }
    assert.is(next, m, `m=${m} p=${p} ends at maxParallelism`);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `m=${m} p=${p} balanced: ${sizes}`);
  }
});

test("Flink's formulas, written out independently: start = ceil(i*M/P), end = floor(((i+1)*M - 1)/P)", () => {
  for (const [m, p] of cases) {
    for (let i = 0; i < p; i++) {
      const r = computeKeyGroupRangeForOperatorIndex(m, p, i);
      assert.equal(
        [r.start, r.end],
        [Math.ceil((i * m) / p), Math.floor(((i + 1) * m - 1) / p)],
        `m=${m} p=${p} i=${i}`,
      );
    }
  }
});

test('operator index for a key group agrees with the ranges (sampled key groups for big M)', () => {
  for (const [m, p] of cases) {
    const step = Math.max(1, Math.floor(m / 257));
    for (let kg = 0; kg < m; kg += step) {
      const i = computeOperatorIndexForKeyGroup(m, p, kg);
      assert.is(i, Math.floor((kg * p) / m));
      const r = computeKeyGroupRangeForOperatorIndex(m, p, i);
      assert.ok(kg >= r.start && kg <= r.end, `m=${m} p=${p} kg=${kg} -> ${i}`);
    }
  }
});

// Hand-checked rows: maxParallelism 128 / parallelism 3 -> 42.67 per subtask: [0,42] [43,85] [86,127]
const rows: [number, number, [number, number][]][] = [
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
    128,
    5,
    [
      [0, 25],
      [26, 51],
      [52, 76],
      [77, 102],
      [103, 127],
    ],
  ],
  [
    3,
    2,
    [
      [0, 1],
      [2, 2],
    ],
  ],
  [
    5,
    3,
    [
      [0, 1],
      [2, 3],
      [4, 4],
    ],
  ],
];
for (const [m, p, expected] of rows) {
  test(`maxParallelism ${m}, parallelism ${p}: ${JSON.stringify(expected)}`, () => {
    const got = Array.from({ length: p }, (_, i) => computeKeyGroupRangeForOperatorIndex(m, p, i));
    assert.equal(
      got.map((r) => [r.start, r.end]),
      expected,
    );
    for (const [i, [s, e]] of expected.entries()) {
      assert.is(computeOperatorIndexForKeyGroup(m, p, s), i);
      assert.is(computeOperatorIndexForKeyGroup(m, p, e), i);
    }
  });
}

test('invalid parallelism settings are refused with what to change', () => {
  assert.throws(() => checkParallelism(128, 129), /lower the parallelism or raise maxParallelism/);
  assert.throws(() => checkParallelism(128, 0), /parallelism must be an integer/);
  assert.throws(() => checkParallelism(128, 1.5), /parallelism must be an integer/);
  assert.throws(() => checkParallelism(32769, 1), /maxParallelism must be an integer in \[1, 32768\]/);
  assert.throws(() => checkParallelism(0, 1), /maxParallelism/);
});

test('every key lands in [0, maxParallelism), whatever its type', () => {
  const keys = [
    -1,
    0,
    1.5,
    -2.25,
    2 ** 31,
    -(2 ** 31) - 1,
    2 ** 53,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    false,
    null,
    123n,
    -5n,
    '',
    'ü€😀',
    [],
    ['a', ['b', 2]],
  ];
  for (let i = 0; i < 500; i++) keys.push(`user-${i}`, i * 7919 - 100_000);
  for (const m of [1, 3, 128, 32768]) {
    for (const k of keys) {
      const kg = assignToKeyGroup(k, m);
      assert.ok(Number.isInteger(kg) && kg >= 0 && kg < m, `key ${String(k)} m=${m} -> ${kg}`);
    }
  }
});

test('hash codes are unsigned 32-bit and pinned (a change would move state between key groups)', () => {
  // [key, keyHashCode, key group of 128]
  const pinned: [unknown, number, number][] = [
    [-1, 879261957, 44],
    [1.5, 3507703382, 116],
    [2 ** 31, 1966731105, 54],
    [true, 3068941245, 58],
    [null, 151190679, 47],
    [123n, 2796815883, 63],
    ['', 2052701293, 20],
    [['a', ['b', 2]], 4168729342, 97],
  ];
  for (const [k, hash, kg] of pinned) {
    assert.is(keyHashCode(k), hash, `hash of ${String(k)}`);
    assert.is(assignToKeyGroup(k, 128), kg, `key group of ${String(k)}`);
  }
});

test('0 and -0 are one key, also inside tuples; NaN equals itself as a key', () => {
  assert.is(keyHashCode(-0), keyHashCode(0));
  assert.is(normalizeKey(-0), normalizeKey(0));
  assert.is(keyHashCode(['a', -0]), keyHashCode(['a', 0]));
  assert.is(normalizeKey(['a', -0]), normalizeKey(['a', 0]));
  assert.is(keyHashCode(Number.NaN), keyHashCode(Number.NaN));
});

test('distinct keys stay distinct in state: type and tuple structure are part of the key', () => {
  assert.is.not(normalizeKey('1'), normalizeKey(1));
  assert.is.not(normalizeKey(['1']), normalizeKey([1]));
  assert.is.not(normalizeKey(['a,b']), normalizeKey(['a', 'b']));
  assert.is.not(normalizeKey([['a'], 'b']), normalizeKey(['a', ['b']]));
  assert.equal(denormalizeKey(normalizeKey([1n, null, true, ['x', -3.5]])), [1n, null, true, ['x', -3.5]]);
});

test('object and undefined keys are refused with advice', () => {
  assert.throws(() => keyHashCode({ id: 1 }), /for an object key return a tuple of its fields/);
  assert.throws(() => keyHashCode(undefined), /invalid key: got undefined/);
  assert.throws(() => keyHashCode(['ok', { id: 1 }]), /invalid key/);
});

test.run();
