// Expected alerts worked out by hand. Watermarks advance per event (wm = max timestamp - 5 s - 1 ms), so
// which records are late depends only on the input order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CollectSink, DataGeneratorSource, StreamExecutionEnvironment } from '../../runtime/src/index.ts';
import type { Alert } from './alert.ts';
import { detectFraud, watermarks } from './pipeline.ts';
import { generateTransaction, type Transaction } from './transaction.ts';

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

test('a burst of exactly 7 transactions raises one alert, on the 6th', async () => {
  const seven = [0, 1, 2, 3, 4, 5, 6].map((s, i) => tx(`t${i}`, 'a', s));
  assert.equal((await run(seven)).alerts, [
    {
      type: 'high-frequency',
      account: 'a',
      transactionId: 't5',
      count: 6,
      windowStart: T,
      timestamp: T + 5000,
    },
  ]);
});

test('the 5 s bound is inclusive: 5 s behind the latest is counted, 5.001 s behind is late', async () => {
  const base = [10, 11, 12, 13, 20].map((s, i) => tx(`t${i}`, 'a', s));
  // After 20 s arrives the watermark is 14.999 s. 15 s is not late: in time order 10, 11, 12, 13, 15, 20, so
  // the 6th transaction in (-40 s, 20 s] is the one at 20 s.
  assert.equal(await run([...base, tx('x', 'a', 15)]), {
    alerts: [
      {
        type: 'high-frequency',
        account: 'a',
        transactionId: 't4',
        count: 6,
        windowStart: T + 10_000,
        timestamp: T + 20_000,
      },
    ],
    late: [],
  });
  // 14.999 s is at the watermark, so late: five counted, no alert.
  assert.equal(await run([...base, tx('x', 'a', 14.999)]), { alerts: [], late: ['x'] });
});

// Four accounts, worked out by hand (times in seconds):
// - slow: every 12 s from 0 to 240. Any minute (t - 60, t] holds at most 5 of them: no alert.
// - fast: every 10 s from 0 to 120. At 50 s, (-10, 50] holds 0..50 = 6: alert on fast-5 (window from 0).
//   Every later minute up to 120 s still holds 6, so the burst goes on without new alerts.
// - two: 0..5 s (alert on two-5, window from 0), then 61..66 s. At 60 s the minute (0, 60] holds 1..5 = 5,
//   ending the burst; at 66 s (6, 66] holds 61..66 = 6: a second alert on two-11 (window from 61).
// - seven: 100..106 s, one alert on seven-5; seven-2 is 10,000.01 (large), seven-3 is 10,000 (not large).
function scenario(): Transaction[] {
  const input: Transaction[] = [];
  for (let i = 0; i <= 20; i++) input.push(tx(`slow-${i}`, 'slow', i * 12));
  for (let i = 0; i <= 12; i++) input.push(tx(`fast-${i}`, 'fast', i * 10));
  [0, 1, 2, 3, 4, 5, 61, 62, 63, 64, 65, 66].forEach((s, i) => {
    input.push(tx(`two-${i}`, 'two', s));
  });
  [100, 101, 102, 103, 104, 105, 106].forEach((s, i) => {
    input.push(tx(`seven-${i}`, 'seven', s, i === 2 ? 10_000.01 : i === 3 ? 10_000 : 50));
  });
  return input.sort((x, y) => x.timestamp - y.timestamp || (x.id < y.id ? -1 : 1));
}

const scenarioAlerts: Alert[] = [
  {
    type: 'high-frequency',
    account: 'fast',
    transactionId: 'fast-5',
    count: 6,
    windowStart: T,
    timestamp: T + 50_000,
  },
  {
    type: 'high-frequency',
    account: 'two',
    transactionId: 'two-5',
    count: 6,
    windowStart: T,
    timestamp: T + 5000,
  },
  {
    type: 'high-frequency',
    account: 'two',
    transactionId: 'two-11',
    count: 6,
    windowStart: T + 61_000,
    timestamp: T + 66_000,
  },
  {
    type: 'high-frequency',
    account: 'seven',
    transactionId: 'seven-5',
    count: 6,
    windowStart: T + 100_000,
    timestamp: T + 105_000,
  },
  {
    type: 'large-amount',
    account: 'seven',
    transactionId: 'seven-2',
    amount: 10_000.01,
    timestamp: T + 102_000,
  },
];

const byJson = (alerts: Alert[]): Alert[] =>
  alerts
    .map((a) => [JSON.stringify(a), a] as const)
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map((e) => e[1]);

/** Delays every arrival by a pseudo-random 0..5 s of event time (every 7th by exactly 5 s): never late. */
function shuffleWithin5s(input: Transaction[]): Transaction[] {
  let seed = 7;
  const delayed = input.map((t, i) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return { t, arrival: t.timestamp + (i % 7 === 0 ? 5000 : seed % 5001) };
  });
  return delayed.sort((a, b) => a.arrival - b.arrival).map((d) => d.t);
}

test('a mixed scenario: exact alerts, the same in order, up to 5 s out of order, and at parallelism 4', async () => {
  const inOrder = scenario();
  const shuffled = shuffleWithin5s(inOrder);
  assert.not.equal(
    shuffled.map((t) => t.id),
    inOrder.map((t) => t.id),
  );
  const expected = { alerts: byJson(scenarioAlerts), late: [] };
  assert.equal(await run(inOrder), expected);
  assert.equal(await run(shuffled), expected);
  assert.equal(await run(shuffled, 4), expected);
});

test('the generator bursts every compromised account twice in 150 s, the same at parallelism 1 and 4', async () => {
  // 15,000 transactions 10 ms apart: bursts during [0, 30 s) and [120 s, 150 s) of event time.
  const generated = async (parallelism: number) => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism });
    const sink = new CollectSink<Alert>();
    const source = new DataGeneratorSource<Transaction>((i, rng) => generateTransaction(i, rng, 10), {
      seed: 2026,
      count: 15_000,
    });
    detectFraud(env.fromSource(source, watermarks(true), 'transactions')).alerts.sinkTo(sink);
    await env.execute('fraud-detection-datagen-test');
    return sink.sortedValues();
  };
  const p1 = await generated(1);
  const frequent = p1.filter((a) => a.type === 'high-frequency');
  assert.equal(frequent.map((a) => a.account).sort(), [
    ...['acct-9990', 'acct-9990', 'acct-9991', 'acct-9991', 'acct-9992', 'acct-9992'],
    ...['acct-9993', 'acct-9993', 'acct-9994', 'acct-9994'],
  ]);
  assert.ok(frequent.every((a) => a.type === 'high-frequency' && a.count === 6));
  assert.ok(p1.some((a) => a.type === 'large-amount'));
  assert.equal(await generated(4), p1);
});

test.run();
