// Expected alerts worked out by hand. Watermarks advance per event (wm = max timestamp - 5 s - 1 ms), so
// which records are late depends only on the input order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CollectSink, StreamExecutionEnvironment } from '../../runtime/src/index.ts';
import type { Alert } from './alert.ts';
import { detectFraud, watermarks } from './pipeline.ts';
import type { Transaction } from './transaction.ts';

const T = Date.UTC(2026, 0, 1);

function tx(id: string, account: string, seconds: number, amount = 50): Transaction {
  return { id, account, amount, currency: 'EUR', timestamp: T + seconds * 1000 };
}

async function run(input: Transaction[], parallelism = 1): Promise<{ alerts: Alert[]; late: string[] }> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism });
  const alerts = new CollectSink<Alert>();
  const late = new CollectSink<Transaction>();
  const result = detectFraud(
    env.fromCollection(input).setParallelism(1).assignTimestampsAndWatermarks(watermarks(true)),
  );
  result.alerts.sinkTo(alerts);
  result.late.sinkTo(late);
  await env.execute('fraud-detection-test');
  return { alerts: alerts.sortedValues(), late: late.values.map((t) => t.id).sort() };
}

test('an amount of exactly 10,000 is no alert; 10,000.01 is', async () => {
  const { alerts } = await run([tx('a', 'x', 0, 10_000), tx('b', 'x', 1, 10_000.01)]);
  assert.equal(alerts, [
    { type: 'large-amount', account: 'x', transactionId: 'b', amount: 10_000.01, timestamp: T + 1000 },
  ]);
});

test('5 transactions within a minute are fine; the 6th raises one alert', async () => {
  const five = [0, 10, 20, 30, 40].map((s, i) => tx(`t${i}`, 'acct-1', s));
  assert.equal((await run(five)).alerts, []);
  const six = [...five, tx('t5', 'acct-1', 50)];
  assert.equal((await run(six)).alerts, [
    {
      type: 'high-frequency',
      account: 'acct-1',
      transactionId: 't5',
      count: 6,
      windowStart: T,
      timestamp: T + 50_000,
    },
  ]);
});

test('the minute is (t - 60 s, t]: six transactions spanning exactly 60 s are only five in a minute', async () => {
  const spanning60 = [0, 10, 20, 30, 40, 60].map((s, i) => tx(`t${i}`, 'a', s));
  assert.equal((await run(spanning60)).alerts, []);
  const spanning59999ms = [...[0, 10, 20, 30, 40].map((s, i) => tx(`t${i}`, 'a', s)), tx('t5', 'a', 59.999)];
  assert.equal((await run(spanning59999ms)).alerts.length, 1);
});

test('one alert per burst; a new burst after a quiet minute alerts again', async () => {
  const burst1 = [0, 1, 2, 3, 4, 5, 6, 7].map((s, i) => tx(`b1-${i}`, 'a', s)); // 8 in 7 s: one alert, on the 6th
  const burst2 = [100, 101, 102, 103, 104, 105].map((s, i) => tx(`b2-${i}`, 'a', s)); // more than a minute later
  const { alerts } = await run([...burst1, ...burst2]);
  assert.equal(
    alerts.map((a) => [a.transactionId, a.type === 'high-frequency' ? a.count : 0]),
    [
      ['b1-5', 6],
      ['b2-5', 6],
    ],
  );
});

test('arrival up to 5 s out of order gives the same alerts as in order', async () => {
  const inOrder = [0, 1, 2, 3, 4, 5].map((s, i) => tx(`t${i}`, 'a', s));
  const shuffled = [5, 0, 4, 1, 3, 2].map((s) => inOrder[s]!);
  const expected = await run(inOrder);
  assert.is(expected.alerts.length, 1);
  assert.equal(await run(shuffled), expected);
});

test('a transaction more than 5 s late goes to the late output and is not counted', async () => {
  // After t=20 s arrives the watermark is 14.999 s; the transaction at 10 s is then late (10 <= 14.999).
  const input = [0, 1, 2, 3, 20].map((s, i) => tx(`t${i}`, 'a', s));
  const { alerts, late } = await run([...input, tx('late', 'a', 10, 20_000)]);
  assert.equal(late, ['late']);
  // Five counted in the minute before 20 s, so no high-frequency alert; the large amount still alerts.
  assert.equal(alerts, [
    { type: 'large-amount', account: 'a', transactionId: 'late', amount: 20_000, timestamp: T + 10_000 },
  ]);
});

test('accounts are independent, and parallelism 1 and 4 give the same alerts', async () => {
  const input: Transaction[] = [];
  for (let i = 0; i < 12; i++) input.push(tx(`a${i}`, 'acct-a', i * 2));
  for (let i = 0; i < 5; i++) input.push(tx(`b${i}`, 'acct-b', i * 2));
  for (let i = 0; i < 6; i++) input.push(tx(`c${i}`, 'acct-c', i * 11));
  input.sort((x, y) => x.timestamp - y.timestamp);
  const p1 = await run(input, 1);
  assert.equal(
    p1.alerts.map((a) => a.transactionId),
    ['a5', 'c5'],
  );
  assert.equal(await run(input, 4), p1);
});

test.run();
