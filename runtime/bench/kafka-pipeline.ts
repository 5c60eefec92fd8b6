// Kafka -> job -> Kafka throughput next to the client's raw ceiling, measured the same way on the real broker
// (KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:19092). An input topic is filled with N JSON records (~120 bytes);
// then, each reading all N from the start and writing N to a fresh output topic:
//   raw copy: the @platformatic/kafka fetch loop the KafkaSource uses, JSON.parse, a map, JSON.stringify,
//             batched sends of 1000, 8 in flight (the same client calls, without the engine): the ceiling
//   riffle:   KafkaSource (bounded: --until-end) -> map -> KafkaSink, in the local engine, for each delivery
//             guarantee (exactly-once with a checkpoint every second)
// Rates are records per second over the whole run (connect to last ack/commit).
//   node runtime/bench/kafka-pipeline.ts [--records N] [--partitions P] [--parallelism 1,2]

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Admin, Consumer, FetchIsolationLevels, Producer } from '@platformatic/kafka';
import {
  type DeliveryGuarantee,
  KafkaDeserializers,
  KafkaSerializers,
  KafkaSink,
  KafkaSource,
  StreamExecutionEnvironment,
} from '../src/index.ts';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const RECORDS = Number(arg('records', '500000'));
const PARTITIONS = Number(arg('partitions', '4'));
const PARALLELISMS = arg('parallelism', '1,2').split(',').map(Number);
const bootstrap = (process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:19092').split(',');
const stamp = Date.now().toString(36);
let seq = 0;
const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: bootstrap });
async function topic(what: string): Promise<string> {
  const t = `bench-${what}-${stamp}-${seq++}`;
  await admin.createTopics({ topics: [t], partitions: PARTITIONS, replicas: 1 });
  return t;
}

type Event = { id: number; account: string; amount: number; timestamp: number };
const enrich = (e: Event) => ({ ...e, large: e.amount > 900 });

async function fill(t: string): Promise<number> {
  const producer = new Producer({ clientId: 'bench-fill', bootstrapBrokers: bootstrap, acks: -1 });
  const start = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < RECORDS; i += 1000) {
    const messages = [];
    for (let j = i; j < Math.min(RECORDS, i + 1000); j++) {
      const e: Event = {
        id: j,
        account: `acct-${j % 10_000}`,
        amount: (j * 7919) % 1000,
        timestamp: 1_700_000_000_000 + j,
      };
      messages.push({ topic: t, key: Buffer.from(e.account), value: Buffer.from(JSON.stringify(e)) });
    }
    inflight.push(producer.send({ messages }));
    if (inflight.length >= 8) await inflight.shift();
  }
  await Promise.all(inflight);
  const rate = RECORDS / ((performance.now() - start) / 1000);
  await producer.close();
  return rate;
}

/** The ceiling: the same fetch and send calls as the connectors, no engine in between. */
async function rawCopy(input: string): Promise<number> {
  const output = await topic('raw-out');
  const start = performance.now();
  const consumer = new Consumer({ clientId: 'bench-raw', groupId: 'unused', bootstrapBrokers: bootstrap });
  const producer = new Producer({ clientId: 'bench-raw', bootstrapBrokers: bootstrap, idempotent: true });
  const md = await consumer.metadata({ topics: [input] });
  const t = md.topics.get(input)!;
  const offsets = Array.from({ length: t.partitionsCount }, () => 0n);
  let n = 0;
  let batch: { topic: string; key: Buffer; value: Buffer }[] = [];
  const sending: Promise<unknown>[] = [];
  const flush = async () => {
    const messages = batch;
    batch = [];
    sending.push(producer.send({ messages }));
    if (sending.length >= 8) await sending.shift(); // up to 8 requests in flight
  };
  while (n < RECORDS) {
    const res = await consumer.fetch({
      node: t.partitions[0]!.leader,
      topics: [
        {
          topicId: t.id,
          partitions: offsets.map((o, p) => ({
            partition: p,
            fetchOffset: o,
            partitionMaxBytes: 1 << 20,
            currentLeaderEpoch: -1,
            lastFetchedEpoch: -1,
          })),
        },
      ],
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: 16 << 20,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    });
    for (const p of res.responses[0]!.partitions) {
      for (const b of p.records ?? []) {
        offsets[p.partitionIndex] = b.firstOffset + BigInt(b.lastOffsetDelta) + 1n;
        for (const r of b.records) {
          const e = enrich(JSON.parse(r.value!.toString()) as Event);
          batch.push({ topic: output, key: Buffer.from(e.account), value: Buffer.from(JSON.stringify(e)) });
          n++;
          if (batch.length >= 1000) await flush();
        }
      }
    }
  }
  await flush();
  await Promise.all(sending);
  const rate = RECORDS / ((performance.now() - start) / 1000);
  await Promise.all([consumer.close(true), producer.close()]);
  return rate;
}

async function riffle(input: string, parallelism: number, guarantee: DeliveryGuarantee): Promise<number> {
  const output = await topic('riffle-out');
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(parallelism);
  if (guarantee === 'exactly-once')
    env.enableCheckpointing(1000, { storage: mkdtempSync(join(tmpdir(), 'riffle-kafka-bench-')) });
  env
    .fromSource(
      new KafkaSource<Event>({
        bootstrapServers: bootstrap,
        topics: [input],
        deserializer: KafkaDeserializers.json<Event>(),
        stoppingOffsets: 'latest',
      }),
      undefined,
      'events',
    )
    .map(enrich)
    .sinkTo(
      new KafkaSink({
        bootstrapServers: bootstrap,
        deliveryGuarantee: guarantee,
        ...(guarantee === 'exactly-once' ? { transactionalIdPrefix: `bench-${stamp}-${seq}` } : {}),
        serializer: KafkaSerializers.json({ topic: output, key: (e: { account: string }) => e.account }),
      }),
    );
  const start = performance.now();
  await env.execute('kafka-bench');
  return RECORDS / ((performance.now() - start) / 1000);
}

const input = await topic('in');
const results: Record<string, number> = {};
results['produce (fill input, acks all, batches of 1000)'] = await fill(input);
await rawCopy(input); // warm-up
results['raw copy (fetch loop -> parse/map -> send, 8 sends in flight), 1 process'] = await rawCopy(input);
for (const p of PARALLELISMS) {
  for (const g of ['at-least-once', 'exactly-once'] as const) {
    results[`riffle KafkaSource -> map -> KafkaSink ${g}, parallelism ${p}`] = await riffle(input, p, g);
  }
}
results['raw copy again (drift check)'] = await rawCopy(input);
console.log(
  JSON.stringify(
    {
      records: RECORDS,
      partitions: PARTITIONS,
      recordsPerSecond: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Math.round(v)])),
    },
    null,
    2,
  ),
);
await admin.close();
