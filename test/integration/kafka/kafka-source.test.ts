// KafkaSource on the local engine against the real broker: malformed records go to a dead-letter topic with
// their topic, partition and offset (the job goes on), or fail the job naming them; partitions added while
// the job runs are discovered; offsets reach the consumer group only through completed checkpoints.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, Consumer, Producer } from '@platformatic/kafka';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import {
  CollectSink,
  KafkaDeserializers,
  KafkaSource,
  OffsetsInitializer,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../../../runtime/src/index.ts';
import { waitFor } from '../cluster/local-cluster.ts';
import { loadTestEnv, uniqueName } from '../test-env.ts';
import { createTopics, deleteTopics, produce, readToEnd } from './kafka-test-kit.ts';

const Order = z.object({ id: z.number().int(), amount: z.number() });
type Order = z.infer<typeof Order>;

test('malformed records go to the dead-letter topic with topic, partition and offset; the job goes on', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const input = uniqueName('riffle-dlq-in');
  const dlq = uniqueName('riffle-dlq');
  await createTopics(bootstrap, { [input]: 1, [dlq]: 1 });
  try {
    await produce(bootstrap, input, [
      JSON.stringify({ id: 1, amount: 10 }),
      '{"id": 2, "amount": ', // not JSON
      JSON.stringify({ id: 3, amount: 30 }),
      JSON.stringify({ id: 4, amount: 'forty' }), // JSON, but not an Order
      JSON.stringify({ id: 5, amount: 50 }),
    ]);
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    const out = new CollectSink<Order>();
    env
      .fromSource(
        new KafkaSource({
          bootstrapServers: bootstrap,
          topics: [input],
          deserializer: KafkaDeserializers.json(Order),
          stoppingOffsets: 'latest',
          deadLetterTopic: dlq,
        }),
        undefined,
        'orders',
      )
      .sinkTo(out);
    await env.execute('dead letters');
    assert.equal(out.values.map((o) => o.id).sort(), [1, 3, 5]);
    const dead = await readToEnd(bootstrap, dlq);
    assert.equal(
      dead.map((d) => ({
        value: d.value,
        topic: d.headers.get('riffle.source.topic'),
        partition: d.headers.get('riffle.source.partition'),
        offset: d.headers.get('riffle.source.offset'),
      })),
      [
        { value: '{"id": 2, "amount": ', topic: input, partition: '0', offset: '1' },
        { value: JSON.stringify({ id: 4, amount: 'forty' }), topic: input, partition: '0', offset: '3' },
      ],
    );
    assert.match(dead[1]!.headers.get('riffle.error')!, /amount/);
  } finally {
    await deleteTopics(bootstrap, [input, dlq]);
  }
});

test('without a dead-letter topic a malformed record fails the job, naming topic, partition and offset', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const input = uniqueName('riffle-bad-in');
  await createTopics(bootstrap, { [input]: 1 });
  try {
    await produce(bootstrap, input, [JSON.stringify({ id: 1, amount: 1 }), 'oops']);
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
    env
      .fromSource(
        new KafkaSource({
          bootstrapServers: bootstrap,
          topics: [input],
          deserializer: KafkaDeserializers.json(Order),
          stoppingOffsets: 'latest',
        }),
        undefined,
        'orders',
      )
      .sinkTo(new CollectSink());
    const error = await env.execute('fails').then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(error, 'the job failed');
    assert.match(error.message, `${input}/0@1`);
  } finally {
    await deleteTopics(bootstrap, [input]);
  }
});

test('partitions added while the job runs are read; offsets are committed to the group after checkpoints', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const input = uniqueName('riffle-discovery');
  const groupId = uniqueName('riffle-discovery-group');
  await createTopics(bootstrap, { [input]: 1 });
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  env.enableCheckpointing(200, { storage: mkdtempSync(join(tmpdir(), 'riffle-kafka-cp-')) });
  const out = new CollectSink<Order>();
  env
    .fromSource(
      new KafkaSource({
        bootstrapServers: bootstrap,
        topics: [input],
        deserializer: KafkaDeserializers.json(Order),
        groupId,
        startingOffsets: OffsetsInitializer.earliest(),
        partitionDiscoveryIntervalMs: 300,
      }),
      undefined,
      'orders',
    )
    .sinkTo(out);
  const job = env.executeAsync('discovery');
  const admin = new Admin({ clientId: 'riffle-it', bootstrapBrokers: bootstrap });
  const consumer = new Consumer({ clientId: 'riffle-it', groupId, bootstrapBrokers: bootstrap });
  try {
    await produce(bootstrap, input, [JSON.stringify({ id: 1, amount: 1 })]);
    await waitFor(
      async () => out.values.length === 1,
      20_000,
      () => 'first record not read',
    );
    await admin.createPartitions({ topics: [{ name: input, count: 3 }] });
    const producer = new Producer({ clientId: 'riffle-it', bootstrapBrokers: bootstrap, idempotent: true });
    try {
      await producer.send({
        messages: [
          { topic: input, partition: 1, value: Buffer.from(JSON.stringify({ id: 2, amount: 2 })) },
          { topic: input, partition: 2, value: Buffer.from(JSON.stringify({ id: 3, amount: 3 })) },
        ],
      });
    } finally {
      await producer.close();
    }
    await waitFor(
      async () => out.values.length >= 3,
      20_000,
      () => `new partitions not read: ${JSON.stringify(out.values)}`,
    );
    const inTopic = await readToEnd(bootstrap, input);
    assert.is(
      out.values.length,
      3,
      `read once each: ${JSON.stringify(out.records)}; topic: ${JSON.stringify(inTopic)}`,
    );
    assert.equal(out.values.map((o) => o.id).sort(), [1, 2, 3]);
    await waitFor(
      async () => {
        const committed = (
          await consumer.listCommittedOffsets({ topics: [{ topic: input, partitions: [0, 1, 2] }] })
        ).get(input);
        return committed?.every((o) => o === 1n) === true;
      },
      20_000,
      () => 'offsets not committed after a checkpoint',
    );
  } finally {
    await job.cancel();
    await Promise.allSettled([admin.close(), consumer.close(true)]);
    await deleteTopics(bootstrap, [input]);
  }
});

test('start offsets: a timestamp, the committed offsets of the group, the latest offset', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const input = uniqueName('riffle-start');
  const groupId = uniqueName('riffle-start-group');
  await createTopics(bootstrap, { [input]: 1 });
  const producer = new Producer({ clientId: 'riffle-it', bootstrapBrokers: bootstrap, idempotent: true });
  const admin = new Admin({ clientId: 'riffle-it', bootstrapBrokers: bootstrap });
  try {
    await producer.send({
      messages: [1, 2, 3, 4].map((id) => ({
        topic: input,
        value: Buffer.from(JSON.stringify({ id, amount: id })),
        timestamp: BigInt(1_700_000_000_000 + id * 1000),
      })),
    });
    await admin.alterConsumerGroupOffsets({
      groupId,
      topics: [{ name: input, partitionOffsets: [{ partition: 0, offset: 3n }] }],
    });
    const read = async (startingOffsets: ReturnType<typeof OffsetsInitializer.latest>) => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
      const out = new CollectSink<Order>();
      env
        .fromSource(
          new KafkaSource({
            bootstrapServers: bootstrap,
            topics: [input],
            deserializer: KafkaDeserializers.json(Order),
            groupId,
            startingOffsets,
            stoppingOffsets: 'latest',
          }),
          undefined,
          'orders',
        )
        .sinkTo(out);
      await env.execute('start offsets');
      return out.values.map((o) => o.id);
    };
    assert.equal(await read(OffsetsInitializer.timestamp(1_700_000_002_000)), [2, 3, 4]);
    assert.equal(await read(OffsetsInitializer.committedOffsets()), [4]);
    assert.equal(await read(OffsetsInitializer.latest()), []);
    assert.equal(await read(OffsetsInitializer.earliest()), [1, 2, 3, 4]);
  } finally {
    await Promise.allSettled([producer.close(), admin.close()]);
    await deleteTopics(bootstrap, [input]);
  }
});

test('a topic pattern reads every matching topic', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const base = uniqueName('riffle-pattern');
  const topics = [`${base}-a`, `${base}-b`, `${base}x-c`];
  await createTopics(bootstrap, { [topics[0]!]: 2, [topics[1]!]: 1, [topics[2]!]: 1 });
  try {
    for (const [i, t] of topics.entries())
      await produce(bootstrap, t, [JSON.stringify({ id: i, amount: 1 })]);
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    const out = new CollectSink<Order>();
    env
      .fromSource(
        new KafkaSource({
          bootstrapServers: bootstrap,
          topicPattern: new RegExp(`^${base}-`),
          deserializer: KafkaDeserializers.json(Order),
          stoppingOffsets: 'latest',
        }),
        undefined,
        'orders',
      )
      .sinkTo(out);
    await env.execute('pattern');
    assert.equal(out.values.map((o) => o.id).sort(), [0, 1]);
  } finally {
    await deleteTopics(bootstrap, topics);
  }
});

test('watermarks per partition: the slowest partition holds event time back until it goes idle', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const input = uniqueName('riffle-watermarks');
  const groupId = uniqueName('riffle-watermarks-group');
  await createTopics(bootstrap, { [input]: 2 });
  type Ev = { t: number };
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
  env.enableCheckpointing(100, { storage: mkdtempSync(join(tmpdir(), 'riffle-kafka-wm-')) });
  const windows = new CollectSink<{ start: number; count: number }>();
  env
    .fromSource(
      new KafkaSource<Ev>({
        bootstrapServers: bootstrap,
        topics: [input],
        groupId,
        deserializer: KafkaDeserializers.json<Ev>(),
        watermarkStrategy: WatermarkStrategy.forMonotonousTimestamps<Ev>()
          .withTimestampAssigner((e) => e.t)
          .withIdleness(1500),
        autoWatermarkIntervalMs: 50,
      }),
      undefined,
      'events',
    )
    .keyBy(() => 'all')
    .window(TumblingEventTimeWindows.of(1000))
    .aggregate({
      createAccumulator: () => ({ start: Number.POSITIVE_INFINITY, count: 0 }),
      add: (e: Ev, acc: { start: number; count: number }) => ({
        start: Math.min(acc.start, Math.floor(e.t / 1000) * 1000),
        count: acc.count + 1,
      }),
      getResult: (acc) => acc,
      merge: (a, b) => ({ start: Math.min(a.start, b.start), count: a.count + b.count }),
    })
    .sinkTo(windows);
  const job = env.executeAsync('per-partition watermarks');
  const producer = new Producer({ clientId: 'riffle-it', bootstrapBrokers: bootstrap, idempotent: true });
  const consumer = new Consumer({ clientId: 'riffle-it', groupId, bootstrapBrokers: bootstrap });
  const send = (partition: number, t: number) =>
    producer.send({ messages: [{ topic: input, partition, value: Buffer.from(JSON.stringify({ t })) }] });
  const committed = async () =>
    (await consumer.listCommittedOffsets({ topics: [{ topic: input, partitions: [0, 1] }] }))
      .get(input)!
      .map(Number);
  try {
    await send(1, 100);
    for (const t of [500, 1500, 2500]) await send(0, t);
    // everything was read (committed after checkpoints), then two more checkpoints pass
    await waitFor(
      async () => (await committed()).join() === '3,1',
      20_000,
      () => 'input not read',
    );
    const before = job.checkpointStats()?.completed ?? 0;
    await waitFor(
      async () => (job.checkpointStats()?.completed ?? 0) >= before + 3,
      20_000,
      () => 'no checkpoints',
    );
    assert.equal(windows.values, [], 'partition 1 at t=100 holds the watermark below the first window end');
    await send(1, 2200);
    await waitFor(
      async () => windows.values.length === 2,
      20_000,
      () => `windows: ${JSON.stringify(windows.values)}`,
    );
    assert.equal(windows.values, [
      { start: 0, count: 2 },
      { start: 1000, count: 1 },
    ]);
    // partition 1 falls silent: once idle it no longer holds the watermark, so partition 0 alone moves it
    await send(0, 5500);
    await waitFor(
      async () => windows.values.length === 3,
      20_000,
      () => `idle partition held back: ${JSON.stringify(windows.values)}`,
    );
    assert.equal(windows.values[2], { start: 2000, count: 2 });
  } finally {
    await job.cancel();
    await Promise.allSettled([producer.close(), consumer.close(true)]);
    await deleteTopics(bootstrap, [input]);
  }
});

test.run();
