// Expected counts worked out by hand; watermarks advance per event (wm = max timestamp - 5 s - 1 ms).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CollectSink, StreamExecutionEnvironment } from '../../runtime/src/index.ts';
import type { Order } from './order.ts';
import { type BigOrdersPerMinute, bigOrderAnalytics, watermarks } from './pipeline.ts';

const T = Date.UTC(2026, 0, 1, 12, 0, 0); // a minute boundary

const order = (id: string, amount: number, seconds: number): Order => ({
  id,
  customer: 'c',
  amount,
  timestamp: T + seconds * 1000,
});

async function runWithLate(
  input: Order[],
  parallelism = 1,
): Promise<{ counts: BigOrdersPerMinute[]; late: string[] }> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism });
  const sink = new CollectSink<BigOrdersPerMinute>();
  const late = new CollectSink<Order>();
  const result = bigOrderAnalytics(
    env.fromCollection(input).setParallelism(1).assignTimestampsAndWatermarks(watermarks(true)),
  );
  result.perMinute.sinkTo(sink);
  result.late.sinkTo(late);
  await env.execute('order-analytics-test');
  return {
    counts: sink.values.slice().sort((a, b) => a.windowStart - b.windowStart),
    late: late.values.map((o) => o.id).sort(),
  };
}

async function run(input: Order[], parallelism = 1): Promise<BigOrdersPerMinute[]> {
  return (await runWithLate(input, parallelism)).counts;
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

test('up to 5 s out of order still counts in its own minute; later than that goes to the late output', async () => {
  const input = [
    order('a', 2000, 58),
    order('b', 2000, 62), // watermark 56.999 s
    order('c', 2000, 59), // 3 s out of order: still counted in the first minute
    order('d', 2000, 70), // watermark 64.999 s: the first minute fires with a, c
    order('e', 2000, 30), // 40 s late: its minute has fired; late output, not counted
    order('f', 500, 31), // just as late, but not a big order: filtered out before the window
  ];
  assert.equal(await runWithLate(input), {
    counts: [
      { windowStart: T, windowEnd: T + 60_000, count: 2, total: 4000 },
      { windowStart: T + 60_000, windowEnd: T + 120_000, count: 2, total: 4000 },
    ],
    late: ['e'],
  });
});

test('the 5 s bound is inclusive: 5 s behind the latest order still counts, 5.001 s does not', async () => {
  // The first minute's window fires once the watermark (latest - 5.001 s) reaches 59.999 s.
  const onTime = [order('a', 2000, 10), order('b', 2000, 64.999), order('c', 2000, 59.999)];
  assert.equal(await runWithLate(onTime), {
    counts: [
      { windowStart: T, windowEnd: T + 60_000, count: 2, total: 4000 },
      { windowStart: T + 60_000, windowEnd: T + 120_000, count: 1, total: 2000 },
    ],
    late: [],
  });
  const tooLate = [order('a', 2000, 10), order('b', 2000, 65), order('c', 2000, 59.999)];
  assert.equal(await runWithLate(tooLate), {
    counts: [
      { windowStart: T, windowEnd: T + 60_000, count: 1, total: 2000 },
      { windowStart: T + 60_000, windowEnd: T + 120_000, count: 1, total: 2000 },
    ],
    late: ['c'],
  });
});

test('three minutes of orders give the same counts in order and up to 5 s out of order', async () => {
  // An order every 0.5 s for 180 s; every third is $1,500, the others $500: each minute has 120 orders,
  // 40 of them big, $60,000 in total.
  const inOrder = Array.from({ length: 360 }, (_, i) => order(`o${i}`, i % 3 === 0 ? 1500 : 500, i * 0.5));
  // Reverse each block of 8 (3.5 s of event time): every order arrives at most 3.5 s behind the latest.
  const shuffled: Order[] = [];
  for (let i = 0; i < inOrder.length; i += 8) shuffled.push(...inOrder.slice(i, i + 8).reverse());
  const expected = {
    counts: [0, 1, 2].map((m) => ({
      windowStart: T + m * 60_000,
      windowEnd: T + (m + 1) * 60_000,
      count: 40,
      total: 60_000,
    })),
    late: [],
  };
  assert.equal(await runWithLate(inOrder), expected);
  assert.equal(await runWithLate(shuffled), expected);
  assert.equal(await runWithLate(shuffled, 4), expected);
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
