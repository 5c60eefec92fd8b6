import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { committedRecords, type FetchedBatch, IS_CONTROL, IS_TRANSACTIONAL } from './fetched-records.ts';

function batch(first: number, values: string[], o: { producer?: number; tx?: boolean } = {}): FetchedBatch {
  return {
    firstOffset: BigInt(first),
    lastOffsetDelta: values.length - 1,
    firstTimestamp: 1000n,
    maxTimestamp: 1000n,
    attributes: o.tx ? IS_TRANSACTIONAL : 0,
    producerId: BigInt(o.producer ?? -1),
    records: values.map((v, i) => ({
      offsetDelta: i,
      timestampDelta: BigInt(i),
      key: null,
      value: Buffer.from(v),
      headers: [],
    })),
  };
}

function marker(offset: number, producer: number, type: 'abort' | 'commit'): FetchedBatch {
  const key = Buffer.alloc(4);
  key.writeInt16BE(type === 'abort' ? 0 : 1, 2);
  return {
    firstOffset: BigInt(offset),
    lastOffsetDelta: 0,
    firstTimestamp: 0n,
    maxTimestamp: 0n,
    attributes: IS_CONTROL | IS_TRANSACTIONAL,
    producerId: BigInt(producer),
    records: [{ offsetDelta: 0, timestampDelta: 0n, key, value: null, headers: [] }],
  };
}

const values = (r: ReturnType<typeof committedRecords>) => r.records.map((x) => `${x.offset}:${x.value}`);

const cases: {
  name: string;
  batches: FetchedBatch[];
  aborted: { producerId: bigint; firstOffset: bigint }[];
  from: number;
  want: string[];
  next: number;
}[] = [
  {
    name: 'plain records',
    batches: [batch(0, ['a', 'b']), batch(2, ['c'])],
    aborted: [],
    from: 0,
    want: ['0:a', '1:b', '2:c'],
    next: 3,
  },
  {
    name: 'records before the fetch offset in the same batch',
    batches: [batch(0, ['a', 'b', 'c'])],
    aborted: [],
    from: 2,
    want: ['2:c'],
    next: 3,
  },
  {
    name: 'committed transaction: records kept, marker skipped',
    batches: [batch(0, ['a', 'b'], { producer: 7, tx: true }), marker(2, 7, 'commit'), batch(3, ['c'])],
    aborted: [],
    from: 0,
    want: ['0:a', '1:b', '3:c'],
    next: 4,
  },
  {
    name: 'aborted transaction up to its marker; the producer commits afterwards',
    batches: [
      batch(0, ['x', 'y'], { producer: 7, tx: true }),
      batch(2, ['a']),
      marker(3, 7, 'abort'),
      batch(4, ['b'], { producer: 7, tx: true }),
      marker(5, 7, 'commit'),
    ],
    aborted: [{ producerId: 7n, firstOffset: 0n }],
    from: 0,
    want: ['2:a', '4:b'],
    next: 6,
  },
  {
    name: 'aborted transaction whose marker is beyond this response: skipped to the end',
    batches: [
      batch(0, ['a']),
      batch(1, ['x'], { producer: 9, tx: true }),
      batch(2, ['y'], { producer: 9, tx: true }),
    ],
    aborted: [{ producerId: 9n, firstOffset: 1n }],
    from: 0,
    want: ['0:a'],
    next: 3,
  },
  {
    name: "another producer's transaction is not affected by an abort",
    batches: [
      batch(0, ['x'], { producer: 9, tx: true }),
      batch(1, ['k'], { producer: 8, tx: true }),
      marker(2, 9, 'abort'),
    ],
    aborted: [{ producerId: 9n, firstOffset: 0n }],
    from: 0,
    want: ['1:k'],
    next: 3,
  },
  { name: 'nothing fetched', batches: [], aborted: [], from: 42, want: [], next: 42 },
];

for (const c of cases) {
  test(c.name, () => {
    const r = committedRecords(c.batches, c.aborted, c.from);
    assert.equal(values(r), c.want);
    assert.is(r.nextOffset, c.next);
  });
}

test('record timestamps are the batch timestamp plus the delta', () => {
  const r = committedRecords([batch(0, ['a', 'b'])], null, 0);
  assert.equal(
    r.records.map((x) => x.timestamp),
    [1000, 1001],
  );
});

test.run();
