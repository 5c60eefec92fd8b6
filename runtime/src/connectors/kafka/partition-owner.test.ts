import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assignKafkaSplits } from './kafka-partition-split.ts';
import { javaStringHashCode, partitionOwner } from './partition-owner.ts';

test("Java's String.hashCode, with 32-bit overflow", () => {
  assert.is(javaStringHashCode(''), 0);
  assert.is(javaStringHashCode('a'), 97);
  assert.is(javaStringHashCode('hello'), 99162322);
  assert.is(javaStringHashCode('Aa'), javaStringHashCode('BB')); // 2112, the well-known collision
  assert.is(javaStringHashCode('polygenelubricants'), -2147483648); // the well-known Integer.MIN_VALUE
});

test('partitions of a topic are spread evenly over the readers, starting at a topic-dependent one', () => {
  for (const parallelism of [1, 2, 3, 4, 7]) {
    const owners = Array.from({ length: 12 }, (_, p) => partitionOwner('orders', p, parallelism));
    const counts = new Map<number, number>();
    for (const o of owners) counts.set(o, (counts.get(o) ?? 0) + 1);
    assert.ok(owners.every((o) => o >= 0 && o < parallelism));
    const sizes = [...counts.values()];
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `even at ${parallelism}: ${owners}`);
    // consecutive partitions go to consecutive readers
    for (let p = 1; p < 12; p++) assert.is(owners[p], (owners[p - 1]! + 1) % parallelism);
  }
});

test('restored splits go to the reader that owns their partition at the new parallelism', () => {
  const splits = Array.from({ length: 6 }, (_, p) => ({ topic: 'orders', partition: p, offset: 100 + p }));
  const dealt = assignKafkaSplits(splits, 4);
  assert.is(dealt.length, 4);
  assert.is(dealt.flat().length, 6);
  dealt.forEach((mine, reader) => {
    for (const s of mine) assert.is(partitionOwner(s.topic, s.partition, 4), reader);
  });
});

test('a bounded split keeps its stopping offset through a restore', () => {
  const dealt = assignKafkaSplits([{ topic: 'orders', partition: 0, offset: 5, stoppingOffset: 9 }], 1);
  assert.equal(dealt, [[{ topic: 'orders', partition: 0, offset: 5, stoppingOffset: 9 }]]);
});

test('a restored entry that is not a Kafka split is refused with what to do', () => {
  assert.throws(() => assignKafkaSplits([{ file: 'a.csv', line: 3 }], 2), /not a Kafka partition split.*uid/);
});

test.run();
