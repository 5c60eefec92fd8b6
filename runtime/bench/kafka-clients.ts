// Kafka client choice, measured on the real broker (hack/test-env.sh, KAFKA_BOOTSTRAP_SERVERS or
// 127.0.0.1:19092): kafkajs 2.2.4 against @platformatic/kafka. Throughput of producing N records (acks all,
// batches of --batch per send call) and of consuming them from the start (group consumer; for platformatic
// also the raw fetch loop the KafkaSource uses), then transactional behaviour: commit and abort seen through
// read_committed and read_uncommitted readers, two transactions in a row, and fencing of a zombie producer.
//   node runtime/bench/kafka-clients.ts [--records N] [--size BYTES] [--batch N] [--runs R]
import { Admin, Consumer, FetchIsolationLevels, Producer } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const RECORDS = Number(arg('records', '200000'));
const SIZE = Number(arg('size', '200'));
const BATCH = Number(arg('batch', '1000'));
const RUNS = Number(arg('runs', '3'));
const bootstrap = (process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:19092').split(',');
const stamp = Date.now().toString(36);
let topicSeq = 0;
const newTopic = (what: string) => `bench-${what}-${stamp}-${topicSeq++}`;
const payload = Buffer.alloc(SIZE, 'x');

const admin = new Admin({ clientId: 'bench-admin', bootstrapBrokers: bootstrap });
async function createTopic(partitions = 4): Promise<string> {
  const t = newTopic('t');
  await admin.createTopics({ topics: [t], partitions, replicas: 1 });
  return t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---- platformatic ----
async function platformaticProduce(topic: string): Promise<number> {
  const producer = new Producer({ clientId: 'bench-p', bootstrapBrokers: bootstrap, acks: -1 });
  const start = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < RECORDS; i += BATCH) {
    const n = Math.min(BATCH, RECORDS - i);
    inflight.push(
      producer.send({
        messages: Array.from({ length: n }, (_, j) => ({
          topic,
          key: Buffer.from(String(i + j)),
          value: payload,
        })),
      }),
    );
    if (inflight.length >= 8) await inflight.shift();
  }
  await Promise.all(inflight);
  const s = (performance.now() - start) / 1000;
  await producer.close();
  return RECORDS / s;
}

async function platformaticConsume(topic: string): Promise<number> {
  const consumer = new Consumer({ clientId: 'bench-c', groupId: newTopic('g'), bootstrapBrokers: bootstrap });
  const start = performance.now();
  const stream = await consumer.consume({
    topics: [topic],
    mode: 'earliest',
    autocommit: false,
    maxWaitTime: 100,
  });
  let n = 0;
  for await (const _m of stream) if (++n >= RECORDS) break;
  const s = (performance.now() - start) / 1000;
  await consumer.close(true);
  return RECORDS / s;
}

async function platformaticFetchLoop(topic: string): Promise<number> {
  const consumer = new Consumer({ clientId: 'bench-f', groupId: 'unused', bootstrapBrokers: bootstrap });
  const start = performance.now();
  const md = await consumer.metadata({ topics: [topic] });
  const t = md.topics.get(topic)!;
  const offsets = Array.from({ length: t.partitionsCount }, () => 0n);
  let n = 0;
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
        n += b.records.length;
        offsets[p.partitionIndex] = b.firstOffset + BigInt(b.lastOffsetDelta) + 1n;
      }
    }
  }
  const s = (performance.now() - start) / 1000;
  await consumer.close(true);
  return RECORDS / s;
}

// ---- kafkajs ----
const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: bootstrap, logLevel: logLevel.NOTHING });

async function kafkajsProduce(topic: string): Promise<number> {
  const producer = kafka.producer();
  await producer.connect();
  const start = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < RECORDS; i += BATCH) {
    const n = Math.min(BATCH, RECORDS - i);
    inflight.push(
      producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: n }, (_, j) => ({ key: String(i + j), value: payload })),
      }),
    );
    if (inflight.length >= 8) await inflight.shift();
  }
  await Promise.all(inflight);
  const s = (performance.now() - start) / 1000;
  await producer.disconnect();
  return RECORDS / s;
}

async function kafkajsConsume(topic: string): Promise<number> {
  const consumer = kafka.consumer({ groupId: newTopic('g'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const start = performance.now();
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }) => {
          n += batch.messages.length;
          if (n >= RECORDS) resolve();
        },
      })
      .catch(reject);
  });
  const s = (performance.now() - start) / 1000;
  await consumer.disconnect();
  return RECORDS / s;
}

// ---- transactional behaviour ----
type TxClient = {
  name: string;
  /** A transactional producer session: begin/send/commit/abort, one transaction at a time. */
  producer(id: string): Promise<{
    begin(): Promise<void>;
    send(topic: string, values: string[]): Promise<void>;
    commit(): Promise<void>;
    abort(): Promise<void>;
    close(): Promise<void>;
  }>;
};

const platformaticTx: TxClient = {
  name: '@platformatic/kafka',
  async producer(id) {
    const p = new Producer({
      clientId: 'bench-tx',
      bootstrapBrokers: bootstrap,
      idempotent: true,
      transactionalId: id,
      producerId: -1n,
      producerEpoch: -1,
    });
    let tx: Awaited<ReturnType<typeof p.beginTransaction>> | undefined;
    return {
      begin: async () => {
        tx = await p.beginTransaction();
      },
      send: async (topic, values) => {
        await tx!.send({ messages: values.map((v) => ({ topic, value: Buffer.from(v) })) });
      },
      commit: () => tx!.commit(),
      abort: () => tx!.abort(),
      close: () => p.close(true),
    };
  },
};

const kafkajsTx: TxClient = {
  name: 'kafkajs',
  async producer(id) {
    const p = kafka.producer({ transactionalId: id, idempotent: true, maxInFlightRequests: 1 });
    await p.connect();
    let tx: Awaited<ReturnType<typeof p.transaction>> | undefined;
    return {
      begin: async () => {
        tx = await p.transaction();
      },
      send: async (topic, values) => {
        await tx!.send({ topic, messages: values.map((value) => ({ value })) });
      },
      commit: () => tx!.commit(),
      abort: () => tx!.abort(),
      close: () => p.disconnect(),
    };
  },
};

async function readAll(topic: string, committed: boolean): Promise<string[]> {
  const consumer = new Consumer({ clientId: 'bench-read', groupId: 'unused', bootstrapBrokers: bootstrap });
  const isolationLevel = committed
    ? FetchIsolationLevels.READ_COMMITTED
    : FetchIsolationLevels.READ_UNCOMMITTED;
  const end = (await consumer.listOffsets({ topics: [topic], isolationLevel })).get(topic)![0]!;
  const md = await consumer.metadata({ topics: [topic] });
  const t = md.topics.get(topic)!;
  const out: string[] = [];
  let offset = 0n;
  while (offset < end) {
    const res = await consumer.fetch({
      node: t.partitions[0]!.leader,
      topics: [
        {
          topicId: t.id,
          partitions: [
            {
              partition: 0,
              fetchOffset: offset,
              partitionMaxBytes: 1 << 20,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
            },
          ],
        },
      ],
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel,
    });
    for (const b of res.responses[0]!.partitions[0]!.records ?? []) {
      offset = b.firstOffset + BigInt(b.lastOffsetDelta) + 1n;
      if (b.attributes & 0x20) continue;
      for (const r of b.records)
        if (b.firstOffset + BigInt(r.offsetDelta) < end) out.push(r.value!.toString());
    }
  }
  await consumer.close(true);
  return out;
}

async function check(name: string, fn: () => Promise<string>): Promise<[string, string]> {
  try {
    return [name, await fn()];
  } catch (e) {
    const inner = (e as { errors?: { message: string }[] }).errors?.[0]?.message;
    return [name, `ERROR ${(e as Error).message}${inner ? ` (${inner})` : ''}`];
  }
}

async function transactional(client: TxClient): Promise<Record<string, string>> {
  const results: [string, string][] = [];
  const topic = await createTopic(1);
  results.push(
    await check('commit, abort, commit: read_committed / read_uncommitted', async () => {
      const p = await client.producer(newTopic('tx'));
      try {
        await p.begin();
        await p.send(topic, ['c1', 'c2']);
        await p.commit();
        await p.begin();
        await p.send(topic, ['a1']);
        await p.abort();
        await p.begin();
        await p.send(topic, ['c3']);
        await p.commit();
      } finally {
        await p.close();
      }
      return `${(await readAll(topic, true)).join(' ')} / ${(await readAll(topic, false)).join(' ')}`;
    }),
  );
  const topic2 = await createTopic(1);
  results.push(
    await check('50 transactions in a row on one producer', async () => {
      const p = await client.producer(newTopic('tx'));
      try {
        for (let i = 0; i < 50; i++) {
          await p.begin();
          await p.send(topic2, [`r${i}`]);
          await p.commit();
        }
      } finally {
        await p.close();
      }
      return `${(await readAll(topic2, true)).length} of 50 committed`;
    }),
  );
  const topic3 = await createTopic(1);
  results.push(
    await check('zombie fencing: a new producer with the same id', async () => {
      const id = newTopic('tx');
      const zombie = await client.producer(id);
      await zombie.begin();
      await zombie.send(topic3, ['zombie']);
      const fresh = await client.producer(id);
      let fenced: string;
      try {
        await fresh.begin();
        await fresh.send(topic3, ['fresh']);
        await fresh.commit();
        fenced = await zombie.commit().then(
          () => 'zombie commit SUCCEEDED (not fenced)',
          (e: Error) =>
            `zombie commit refused (${(e as { errors?: { apiId?: string }[] }).errors?.[0]?.apiId ?? e.name})`,
        );
      } finally {
        await zombie.close().catch(() => {});
        await fresh.close();
      }
      return `${fenced}; read_committed sees: ${(await readAll(topic3, true)).join(' ')}`;
    }),
  );
  return Object.fromEntries(results);
}

const results: Record<string, unknown> = { records: RECORDS, size: SIZE, batch: BATCH, runs: RUNS };
const rates: Record<string, number[]> = {};
const add = (k: string, v: number) => {
  rates[k] = [...(rates[k] ?? []), v];
};
for (let run = 0; run < RUNS; run++) {
  const a = await createTopic();
  add('platformatic produce', await platformaticProduce(a));
  add('platformatic consume (group stream)', await platformaticConsume(a));
  add('platformatic consume (fetch loop, as KafkaSource)', await platformaticFetchLoop(a));
  const b = await createTopic();
  add('kafkajs produce', await kafkajsProduce(b));
  add('kafkajs consume (group, eachBatch)', await kafkajsConsume(b));
  console.error(
    `run ${run + 1}/${RUNS}: ${JSON.stringify(Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(v.at(-1)!)])))}`,
  );
}
results.throughput = Object.fromEntries(
  Object.entries(rates).map(([k, v]) => [k, { median: Math.round(median(v)), runs: v.map(Math.round) }]),
);
/** The client's default producer id/epoch (0/0 instead of -1/-1) when an id already has history. */
async function platformaticDefaultsReinit(): Promise<string> {
  const topic = await createTopic(1);
  const id = newTopic('tx');
  const open = async () => {
    const p = new Producer({
      clientId: 'bench-tx',
      bootstrapBrokers: bootstrap,
      idempotent: true,
      transactionalId: id,
    });
    const tx = await p.beginTransaction();
    await tx.send({ messages: [{ topic, value: Buffer.from('x') }] });
    await tx.commit();
    await p.close();
  };
  await open();
  return open().then(
    () => 'second producer with the same id works',
    (e: { errors?: { apiId?: string }[]; message: string }) =>
      `second producer with the same id refused: ${e.errors?.[0]?.apiId ?? e.message} (fix: producerId -1n, producerEpoch -1)`,
  );
}

results.transactions = {
  '@platformatic/kafka': {
    ...(await transactional(platformaticTx)),
    'default options, id reused by a new producer': await platformaticDefaultsReinit(),
  },
  kafkajs: await transactional(kafkajsTx),
};
console.log(JSON.stringify(results, null, 2));
await admin.close();
