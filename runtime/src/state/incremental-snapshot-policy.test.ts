import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IncrementalSnapshotPolicy, type SnapshotPlan } from './incremental-snapshot-policy.ts';

type Step = ['plan', number, string, SnapshotPlan<string>] | ['complete', number];

const cases: [string, number, Step[]][] = [
  [
    'the first snapshot is full; after it completes, deltas carry the changes since',
    10,
    [
      ['plan', 1, 'a', { kind: 'full' }],
      ['complete', 1],
      ['plan', 2, 'b', { kind: 'delta', baseCheckpointId: 1, changes: ['b'] }],
      ['complete', 2],
      ['plan', 3, 'c', { kind: 'delta', baseCheckpointId: 2, changes: ['c'] }],
    ],
  ],
  [
    'a checkpoint that never completes: its changes go into the next delta, on the old base',
    10,
    [
      ['plan', 1, 'a', { kind: 'full' }],
      ['complete', 1],
      ['plan', 2, 'b', { kind: 'delta', baseCheckpointId: 1, changes: ['b'] }],
      ['plan', 3, 'c', { kind: 'delta', baseCheckpointId: 1, changes: ['b', 'c'] }],
      ['complete', 3],
      ['plan', 4, 'd', { kind: 'delta', baseCheckpointId: 3, changes: ['d'] }],
    ],
  ],
  [
    'until a first checkpoint completes every snapshot is full',
    10,
    [
      ['plan', 1, 'a', { kind: 'full' }],
      ['plan', 2, 'b', { kind: 'full' }],
      ['complete', 2],
      ['plan', 3, 'c', { kind: 'delta', baseCheckpointId: 2, changes: ['c'] }],
    ],
  ],
  [
    'with fullEvery 3, a full snapshot and then at most two deltas: the chain stays short',
    3,
    [
      ['plan', 1, 'a', { kind: 'full' }],
      ['complete', 1],
      ['plan', 2, 'b', { kind: 'delta', baseCheckpointId: 1, changes: ['b'] }],
      ['complete', 2],
      ['plan', 3, 'c', { kind: 'delta', baseCheckpointId: 2, changes: ['c'] }],
      ['complete', 3],
      ['plan', 4, 'd', { kind: 'full' }],
      ['complete', 4],
      ['plan', 5, 'e', { kind: 'delta', baseCheckpointId: 4, changes: ['e'] }],
    ],
  ],
  [
    'completion of something this backend never snapshotted (a savepoint id) changes nothing',
    10,
    [
      ['plan', 1, 'a', { kind: 'full' }],
      ['complete', 1],
      ['complete', 99],
      ['plan', 2, 'b', { kind: 'delta', baseCheckpointId: 1, changes: ['b'] }],
    ],
  ],
  [
    'fullEvery 1 means never incremental',
    1,
    [
      ['plan', 1, 'a', { kind: 'full' }],
      ['complete', 1],
      ['plan', 2, 'b', { kind: 'full' }],
    ],
  ],
];

for (const [name, fullEvery, steps] of cases) {
  test(name, () => {
    const policy = new IncrementalSnapshotPolicy<string>(fullEvery);
    for (const step of steps) {
      if (step[0] === 'complete') policy.complete(step[1]);
      else assert.equal(policy.plan(step[1], step[2]), step[3], `plan ${step[1]}`);
    }
  });
}

test.run();
