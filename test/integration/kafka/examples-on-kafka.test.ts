// The examples on Kafka: the load generator fills the input topics (with a few malformed records), the jobs
// read them to the end (--until-end) and fraud-detection writes its alerts to a topic. Large-amount alerts
// are exactly those of the generated transactions; the malformed records are in the dead-letter topics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Alert, LARGE_AMOUNT } from '../../../examples/fraud-detection/alert.ts';
import fraudDetection from '../../../examples/fraud-detection/job.ts';
import { generateTransaction } from '../../../examples/fraud-detection/transaction.ts';
import { generateLoad } from '../../../examples/load-generator.ts';
import orderAnalytics from '../../../examples/order-analytics/job.ts';
import { SeededRandom, StreamExecutionEnvironment } from '../../../runtime/src/index.ts';
import { loadTestEnv, uniqueName } from '../test-env.ts';
import { createTopics, deleteTopics, readToEnd } from './kafka-test-kit.ts';

const COUNT = 5000;
const MALFORMED_EVERY = 1000;

test('fraud-detection reads transactions from Kafka and writes alerts to Kafka; malformed ones are dead letters', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const input = uniqueName('riffle-transactions');
  const output = uniqueName('riffle-alerts');
  await createTopics(bootstrap, { [output]: 2, [`${input}-dlq`]: 1 });
  try {
    const produced = await generateLoad({
      kind: 'transactions',
      bootstrapServers: bootstrap,
      topic: input,
      count: COUNT,
      rate: 0,
      partitions: 4,
      malformedEvery: MALFORMED_EVERY,
    });
    assert.is(produced, COUNT);
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    fraudDetection(env, [
      '--kafka',
      bootstrap.join(','),
      '--input-topic',
      input,
      '--output-topic',
      output,
      '--until-end',
    ]);
    await env.execute('fraud-detection on kafka');

    const alerts = (await readToEnd(bootstrap, output)).map((r) => JSON.parse(r.value) as Alert);
    const rng = new SeededRandom(2026, 0);
    const expectedLarge: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      if ((i + 1) % MALFORMED_EVERY === 0) continue;
      const tx = generateTransaction(i, rng.reset(2026, i), 10);
      if (tx.amount > LARGE_AMOUNT) expectedLarge.push(tx.id);
    }
    assert.equal(
      alerts
        .filter((a) => a.type === 'large-amount')
        .map((a) => a.transactionId)
        .sort(),
      expectedLarge.sort(),
    );
    assert.ok(
      alerts.some((a) => a.type === 'high-frequency' && a.account.startsWith('acct-999')),
      'a compromised account raised a high-frequency alert',
    );
    const dead = await readToEnd(bootstrap, `${input}-dlq`);
    assert.is(dead.length, COUNT / MALFORMED_EVERY);
    assert.ok(dead.every((d) => d.headers.get('riffle.source.topic') === input));
  } finally {
    await deleteTopics(bootstrap, [input, output, `${input}-dlq`]);
  }
});

test('order-analytics reads orders from Kafka to the end of the topic', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const input = uniqueName('riffle-orders');
  await createTopics(bootstrap, { [`${input}-dlq`]: 1 });
  try {
    await generateLoad({
      kind: 'orders',
      bootstrapServers: bootstrap,
      topic: input,
      count: 2000,
      rate: 0,
      partitions: 3,
      malformedEvery: 500,
    });
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    orderAnalytics(env, ['--kafka', bootstrap.join(','), '--input-topic', input, '--until-end']);
    const result = await env.execute('order-analytics on kafka');
    assert.ok(result, 'finished');
    assert.is((await readToEnd(bootstrap, `${input}-dlq`)).length, 4);
  } finally {
    await deleteTopics(bootstrap, [input, `${input}-dlq`]);
  }
});

test.run();
