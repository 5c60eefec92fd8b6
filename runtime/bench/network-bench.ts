// Cross-process benchmark of the network data plane (runtime/src/network): a producer process sends
// batches of 512 small records over 1..N channels to a consumer process, through real TCP on 127.0.0.1.
// Reports records/s, MB/s of payload, CPU seconds of both processes, and record latency (send time is
// stamped into each record) at a fixed rate, by default half the measured 1-channel maximum.
// Run: node runtime/bench/network-bench.ts [--seconds 4] [--warmup 1] [--channels 1,4,16] [--credits 8]
//   [--rate <records/s>]
import { type ChildProcess, fork } from 'node:child_process';
import type { Buffer as StreamBuffer } from '../src/execution/buffer.ts';
import { NetworkEnvironment } from '../src/network/network-environment.ts';
import type { NetworkOutputChannel } from '../src/network/network-output-channel.ts';

const BATCH = 512;
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];
/** Latency histogram: 10 µs buckets up to 2 s. */
const BUCKET_MS = 0.01;
const BUCKETS = 200_000;

type ProducerArgs = {
  port: number;
  channels: number;
  /** Credits of each input channel, and capacity of each output channel. */
  credits: number;
  seconds: number;
  warmup: number;
  rate: number | undefined;
};
/** Counted after the warm-up (JIT, first GCs, msgpackr compiling its readers), which is not measured. */
type ProducerResult = {
  records: number;
  totalRecords: number;
  activeSeconds: number;
  cpuSeconds: number;
  bytesOut: number;
  backpressuredMs: number;
};
type ConsumerResult = { totalRecords: number; cpuSeconds: number; p50: number; p99: number; max: number };
type BenchRecord = {
  id: number;
  account: string;
  amount: number;
  currency: string;
  sentAt: number;
  warm: boolean;
};

const now = () => performance.timeOrigin + performance.now();

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

async function runConsumer(channels: number, credits: number): Promise<void> {
  let cpu = process.cpuUsage();
  const env = await NetworkEnvironment.start({ host: '127.0.0.1', onError: (e) => fail(e) });
  const histogram = new Float64Array(BUCKETS);
  let totalRecords = 0;
  let measured = 0;
  let ended = 0;
  let scheduled = false;
  const poll = () => {
    scheduled = false;
    for (const input of inputs) {
      for (let i = 0; i < 64; i++) {
        const b = input.poll();
        if (b === undefined) break;
        if (b.kind === 'end') ended++;
        if (b.kind !== 'records') continue;
        const values = b.values as BenchRecord[];
        totalRecords += values.length;
        if (!values[0]!.warm) continue;
        if (measured === 0) cpu = process.cpuUsage();
        measured += values.length;
        const t = now();
        for (let k = 0; k < values.length; k++) {
          histogram[Math.min(BUCKETS - 1, Math.floor((t - values[k]!.sentAt) / BUCKET_MS))]!++;
        }
      }
    }
    if (ended === channels) finish();
    else if (inputs.some((c) => c.size > 0)) wake();
  };
  const wake = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(poll);
  };
  const inputs = Array.from({ length: channels }, (_, i) =>
    env.createInputChannel({ channelId: `bench:${i}`, credits, onData: wake }),
  );
  const finish = () => {
    const quantile = (p: number) => {
      let seen = 0;
      for (let i = 0; i < BUCKETS; i++) {
        seen += histogram[i]!;
        if (seen >= p * measured) return (i + 1) * BUCKET_MS;
      }
      return Number.POSITIVE_INFINITY;
    };
    let max = 0;
    for (let i = 0; i < BUCKETS; i++) if (histogram[i]! > 0) max = (i + 1) * BUCKET_MS;
    const result: ConsumerResult = {
      totalRecords,
      cpuSeconds: cpuSeconds(cpu),
      p50: quantile(0.5),
      p99: quantile(0.99),
      max,
    };
    process.send!({ result });
    void env.close().then(() => process.exit(0));
  };
  process.send!({ port: env.address.port });
}

async function runProducer(args: ProducerArgs): Promise<void> {
  const env = await NetworkEnvironment.start({ host: '127.0.0.1', onError: (e) => fail(e) });
  let writable: (() => void) | undefined;
  const outs: NetworkOutputChannel[] = Array.from({ length: args.channels }, (_, i) =>
    env.createOutputChannel({
      channelId: `bench:${i}`,
      remote: { host: '127.0.0.1', port: args.port },
      capacity: args.credits,
      onWritable: () => writable?.(),
    }),
  );
  await env.connect();
  const start = performance.now();
  const warmEnd = start + args.warmup * 1000;
  const end = warmEnd + args.seconds * 1000;
  let id = 0;
  let next = 0;
  let warm = false;
  let warmAt = { id: 0, cpu: process.cpuUsage(), bytes: 0, backpressuredMs: 0 };
  const backpressuredMs = () => Object.values(env.stats().outputs).reduce((s, o) => s + o.backpressuredMs, 0);
  const checkWarm = () => {
    if (warm || performance.now() < warmEnd) return;
    warm = true;
    warmAt = { id, cpu: process.cpuUsage(), bytes: env.stats().bytesOut, backpressuredMs: backpressuredMs() };
  };
  const makeBatch = (n: number): StreamBuffer => {
    const values = new Array<BenchRecord>(n);
    const timestamps = new Array<number>(n);
    const sentAt = now();
    for (let i = 0; i < n; i++, id++) {
      values[i] = {
        id,
        account: `acc-${id % 1000}`,
        amount: (id % 10_000) / 100,
        currency: CURRENCIES[id % 5]!,
        sentAt,
        warm,
      };
      timestamps[i] = sentAt;
    }
    return { kind: 'records', values, timestamps, keys: undefined };
  };
  const hasCapacity = () => outs.every((o) => o.hasCapacity());
  const waitWritable = () => new Promise<void>((r) => (writable = r));
  if (args.rate === undefined) {
    // As fast as credit allows: fill every channel, round-robin, yielding to the event loop now and then.
    while (performance.now() < end) {
      checkWarm();
      for (let k = 0; k < 16 && hasCapacity(); k++) {
        outs[next]!.push(makeBatch(BATCH));
        next = (next + 1) % outs.length;
      }
      if (hasCapacity()) await new Promise((r) => setImmediate(r));
      else await Promise.race([waitWritable(), new Promise((r) => setTimeout(r, 5))]);
    }
  } else {
    // A fixed rate: every millisecond, the records due since the start, in partial batches if need be
    // (as a task flushes when it goes idle), each stamped with the time it was produced.
    const rate = args.rate;
    while (performance.now() < end) {
      checkWarm();
      const due = Math.floor(((performance.now() - start) / 1000) * rate) - id;
      for (let left = due; left > 0; ) {
        const n = Math.min(BATCH, left);
        if (!hasCapacity()) break; // behind: the consumer cannot keep up with this rate
        outs[next]!.push(makeBatch(n));
        next = (next + 1) % outs.length;
        left -= n;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  const activeSeconds = (performance.now() - warmEnd) / 1000;
  const result: ProducerResult = {
    records: id - warmAt.id,
    totalRecords: id,
    activeSeconds,
    cpuSeconds: cpuSeconds(warmAt.cpu),
    bytesOut: env.stats().bytesOut - warmAt.bytes,
    backpressuredMs: backpressuredMs() - warmAt.backpressuredMs,
  };
  for (const o of outs) {
    while (!o.hasCapacity()) await waitWritable();
    o.push({ kind: 'end' });
  }
  await env.drain();
  process.send!({ result });
  setTimeout(() => void env.close().then(() => process.exit(0)), 200);
}

function fail(e: Error): never {
  console.error(e);
  process.exit(1);
}

function message<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (!(key in m)) return;
      child.off('message', onMessage);
      resolve(m[key] as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${key}: child exited with ${code}`)));
  });
}

type CaseOptions = {
  channels: number;
  credits: number;
  seconds: number;
  warmup: number;
  rate: number | undefined;
};

async function runCase({ channels, credits, seconds, warmup, rate }: CaseOptions) {
  const self = new URL(import.meta.url).pathname;
  const consumer = fork(self, ['--role', 'consumer', String(channels), String(credits)]);
  const port = await message<number>(consumer, 'port');
  const args: ProducerArgs = { port, channels, credits, seconds, warmup, rate };
  const producer = fork(self, ['--role', 'producer', JSON.stringify(args)]);
  const [p, c] = await Promise.all([
    message<ProducerResult>(producer, 'result'),
    message<ConsumerResult>(consumer, 'result'),
  ]);
  const cpu = p.cpuSeconds + c.cpuSeconds;
  return {
    channels,
    rate: rate === undefined ? 'max' : `${(rate / 1e6).toFixed(2)} M/s`,
    recordsPerSecond: p.records / p.activeSeconds,
    mbPerSecond: p.bytesOut / p.activeSeconds / 1e6,
    producerCpu: p.cpuSeconds,
    consumerCpu: c.cpuSeconds,
    recordsPerCoreSecond: p.records / cpu,
    p50: c.p50,
    p99: c.p99,
    max: c.max,
    backpressuredMs: p.backpressuredMs,
    lost: p.totalRecords - c.totalRecords,
  };
}

function row(r: Awaited<ReturnType<typeof runCase>>): string {
  if (r.lost !== 0) throw new Error(`${r.lost} records lost with ${r.channels} channels`);
  return [
    r.channels,
    r.rate,
    `${(r.recordsPerSecond / 1e6).toFixed(2)} M`,
    r.mbPerSecond.toFixed(1),
    r.producerCpu.toFixed(2),
    r.consumerCpu.toFixed(2),
    `${(r.recordsPerCoreSecond / 1e6).toFixed(2)} M`,
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.max.toFixed(1),
    Math.round(r.backpressuredMs),
  ].join(' | ');
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const role = arg('--role');
  if (role === 'consumer') {
    const [channels, credits] = process.argv.slice(-2).map(Number);
    return runConsumer(channels!, credits!);
  }
  if (role === 'producer')
    return runProducer(JSON.parse(process.argv[process.argv.length - 1]!) as ProducerArgs);
  const seconds = Number(arg('--seconds') ?? 4);
  const warmup = Number(arg('--warmup') ?? 1);
  const credits = Number(arg('--credits') ?? 8);
  const channelCounts = (arg('--channels') ?? '1,4,16').split(',').map(Number);
  console.log(
    `node ${process.version}, batches of ${BATCH} records, credits and capacity ${credits}, ${seconds} s per case after ${warmup} s of warm-up`,
  );
  console.log(
    '\n| channels | rate | records/s | MB/s | producer CPU s | consumer CPU s | records per core-second | p50 ms | p99 ms | max ms | producer backpressured ms (sum over channels) |',
  );
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const results = [];
  for (const n of channelCounts) {
    const r = await runCase({ channels: n, credits, seconds, warmup, rate: undefined });
    results.push(r);
    console.log(`| ${row(r)} |`);
  }
  const rate = Number(arg('--rate') ?? Math.round(results[0]!.recordsPerSecond / 2));
  for (const n of channelCounts)
    console.log(`| ${row(await runCase({ channels: n, credits, seconds, warmup, rate }))} |`);
}

await main();
