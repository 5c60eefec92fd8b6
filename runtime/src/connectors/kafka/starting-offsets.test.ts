import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OffsetsInitializer, resolveStartOffset } from './starting-offsets.ts';

const offsets = { earliest: 10, latest: 50, atTimestamp: 30, committed: 40 };

const cases: [
  string,
  ReturnType<typeof OffsetsInitializer.earliest>,
  Parameters<typeof resolveStartOffset>[1],
  number,
][] = [
  ['earliest', OffsetsInitializer.earliest(), offsets, 10],
  ['latest', OffsetsInitializer.latest(), offsets, 50],
  ['timestamp', OffsetsInitializer.timestamp(123), offsets, 30],
  [
    'timestamp after every record: the end',
    OffsetsInitializer.timestamp(123),
    { ...offsets, atTimestamp: -1 },
    50,
  ],
  ['committed', OffsetsInitializer.committedOffsets(), offsets, 40],
  [
    'no commit, reset earliest',
    OffsetsInitializer.committedOffsets('earliest'),
    { ...offsets, committed: -1 },
    10,
  ],
  [
    'no commit, reset latest',
    OffsetsInitializer.committedOffsets('latest'),
    { ...offsets, committed: -1 },
    50,
  ],
];

for (const [name, start, o, want] of cases)
  test(name, () => assert.is(resolveStartOffset(start, o, 'orders/0'), want));

test('no commit and reset fail: an error naming the partition and the fix', () => {
  assert.throws(
    () =>
      resolveStartOffset(
        OffsetsInitializer.committedOffsets('fail'),
        { ...offsets, committed: -1 },
        'orders/3',
      ),
    /orders\/3: the consumer group has no committed offset.*committedOffsets\('earliest'\)/,
  );
});

test.run();
