// Fills an example's input topic with realistic data: the same deterministic generators the examples use
// without Kafka, seeded per record as DataGeneratorSource does (record i is the same as the datagen run's),
// keyed by account or customer, as JSON.
//   node examples/load-generator.ts <transactions|orders> --kafka HOST:PORT
//     [--topic T]          default: the kind's name
//     [--count N]          stop after N records (default: run until Ctrl-C)
//     [--rate R]           records per second (default 2000; 0: as fast as the broker takes them)
//     [--partitions P]     partitions when the topic is created (default 4)
//     [--malformed-every N]  every Nth record is broken JSON, to see the dead-letter topic at work
// Event time: with a rate, records are stamped with the wall clock (out of order by up to 3 s, as generated);
// at full speed they keep the generators' own timeline (100 records per second of event time).
import { Admin, Producer } from '@platformatic/kafka';
import { SeededRandom } from '../runtime/src/index.ts';
import { EPOCH, generateTransaction } from './fraud-detection/transaction.ts';
import { positiveNumberArg } from './job-args.ts';
import { generateOrder } from './order-analytics/order.ts';

const GENERATORS = {
  transactions: { seed: 2026, make: generateTransaction, key: (r: { account: string }) => r.account },
  orders: { seed: 1000, make: generateOrder, key: (r: { customer: string }) => r.customer },
} as const;

type Kind = keyof typeof GENERATORS;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

export type LoadOptions = {
  readonly kind: Kind;
  readonly bootstrapServers: string[];
  readonly topic: string;
  readonly count: number;
  readonly rate: number;
  readonly partitions: number;
  readonly malformedEvery: number;
};

export function parseLoadArgs(args: string[]): LoadOptions {
  const kind = args[0] as Kind;
  if (!(kind in GENERATORS))
    throw new Error(`load-generator: the first argument is transactions or orders, got ${args[0]}`);
  const kafka = option(args, '--kafka');
  if (kafka === undefined) throw new Error('load-generator: --kafka HOST:PORT is required');
  const rateText = option(args, '--rate');
  const rate = rateText === undefined ? 2000 : Number(rateText);
  if (!Number.isFinite(rate) || rate < 0)
    throw new Error(`load-generator: --rate needs a number >= 0, got ${rateText}`);
  return {
    kind,
    bootstrapServers: kafka.split(','),
    topic: option(args, '--topic') ?? kind,
    count: positiveNumberArg('load-generator', args, '--count', Number.POSITIVE_INFINITY),
    rate,
    partitions: positiveNumberArg('load-generator', args, '--partitions', 4),
    malformedEvery: positiveNumberArg('load-generator', args, '--malformed-every', Number.POSITIVE_INFINITY),
  };
}

/** Produces records until `count` or until `signal` aborts; returns how many. */
export async function generateLoad(o: LoadOptions, signal?: AbortSignal): Promise<number> {
  const admin = new Admin({ clientId: 'riffle-load-generator', bootstrapBrokers: o.bootstrapServers });
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(o.topic))
      await admin.createTopics({ topics: [o.topic], partitions: o.partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
  const producer = new Producer({
    clientId: 'riffle-load-generator',
    bootstrapBrokers: o.bootstrapServers,
    idempotent: true,
  });
  const g = GENERATORS[o.kind];
  const rng = new SeededRandom(g.seed, 0);
  const msPerRecord = o.rate > 0 ? 1000 / o.rate : 10;
  const start = Date.now();
  const shift = o.rate > 0 ? start - EPOCH : 0; // live: event time follows the wall clock
  let i = 0;
  try {
    while (i < o.count && !signal?.aborted) {
      const n = Math.min(o.rate > 0 ? Math.max(1, Math.round(o.rate / 20)) : 1000, o.count - i);
      const messages = [];
      for (let j = 0; j < n; j++, i++) {
        const r = g.make(i, rng.reset(g.seed, i), msPerRecord) as { timestamp: number } & Record<
          string,
          unknown
        >;
        const record = { ...r, timestamp: r.timestamp + shift };
        const malformed = (i + 1) % o.malformedEvery === 0;
        messages.push({
          topic: o.topic,
          key: Buffer.from(g.key(record as never)),
          value: Buffer.from(malformed ? JSON.stringify(record).slice(0, -7) : JSON.stringify(record)),
        });
      }
      await producer.send({ messages });
      if (o.rate > 0) {
        const due = start + (i / o.rate) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
  } finally {
    await producer.close();
  }
  return i;
}

if (import.meta.main) {
  const options = parseLoadArgs(process.argv.slice(2));
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  const progress = setInterval(() => process.stderr.write('.'), 1000);
  const n = await generateLoad(options, stop.signal);
  clearInterval(progress);
  console.log(`\nproduced ${n} ${options.kind} to ${options.topic}`);
}
