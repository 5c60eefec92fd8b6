// Expected counts worked out by hand; watermarks advance per event (wm = max timestamp - 5 s - 1 ms).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CollectSink, StreamExecutionEnvironment } from '../../runtime/src/index.ts';
import type { Order } from './order.ts';
import { type BigOrdersPerMinute, bigOrdersPerMinute, watermarks } from './pipeline.ts';

const T = Date.UTC(2026, 0, 1, 12, 0, 0); // a minute boundary

const order = (id: string, amount: number, seconds: number): Order => ({
  id,
  customer: 'c',
  amount,
  timestamp: T + seconds * 1000,
});

async function run(input: Order[], parallelism = 1): Promise<BigOrdersPerMinute[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism });
  const sink = new CollectSink<BigOrdersPerMinute>();
  bigOrdersPerMinute(
    env.fromCollection(input).setParallelism(1).assignTimestampsAndWatermarks(watermarks(true)),
  ).sinkTo(sink);
  await env.execute('order-analytics-test');
  return sink.values.slice().sort((a, b) => a.windowStart - b.windowStart);
}

test('orders over $1,000 counted per minute; $1,000 exactly does not count; an order at :60 s is the next minute', async () => {
  const input = [
    order('a', 1000, 1), // not over 1,000
    order('b', 1000.01, 2),
    order('c', 5000, 59.999), // last millisecond of the first minute
    order('d', 2500, 60), // first millisecond of the second minute
    order('e', 999.99, 61),
    order('f', 1200, 130), // third minute
  ];
  assert.equal(await run(input), [
    { windowStart: T, windowEnd: T + 60_000, count: 2, total: 6000.01 },
    { windowStart: T + 60_000, windowEnd: T + 120_000, count: 1, total: 2500 },
    { windowStart: T + 120_000, windowEnd: T + 180_000, count: 1, total: 1200 },
  ]);
});

test('up to 5 s out of order still counts in its own minute; later than that is dropped', async () => {
  const input = [
    order('a', 2000, 58),
    order('b', 2000, 62), // watermark 56.999 s
    order('c', 2000, 59), // 3 s out of order: still counted in the first minute
    order('d', 2000, 70), // watermark 64.999 s: the first minute fires with a, c
    order('e', 2000, 30), // 40 s late: its minute has fired; dropped
  ];
  assert.equal(await run(input), [
    { windowStart: T, windowEnd: T + 60_000, count: 2, total: 4000 },
    { windowStart: T + 60_000, windowEnd: T + 120_000, count: 2, total: 4000 },
  ]);
});

test('parallelism 1 and 4 give the same counts', async () => {
  const input = Array.from({ length: 500 }, (_, i) => order(`o${i}`, i % 3 === 0 ? 1500 : 200, i * 0.7));
  const p1 = await run(input, 1);
  assert.is(
    p1.reduce((n, r) => n + r.count, 0),
    167,
  );
  assert.equal(await run(input, 4), p1);
});

test.run();
