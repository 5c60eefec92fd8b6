// Checkpoints with large keyed state: a keyed running count over `--keys` distinct keys (1 million by
// default) runs in the local engine at full speed, checkpointing every `--interval` ms to file://. Reported:
// checkpoint duration (p50, max) and size, and throughput with checkpoints against the same job without
// them (the dip), for the heap and the LMDB backend.
//   node runtime/bench/checkpoint-case.ts [--backend hashmap|lmdb] [--keys N] [--seconds S] [--interval MS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyedProcessFunction, ValueState } from '../src/index.ts';
import { DataGeneratorSource, StreamExecutionEnvironment, valueState } from '../src/index.ts';
import { parseStateBackend } from '../src/state/state-backend-config.ts';
import { CountingSink } from './counting-sink.ts';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const backend = parseStateBackend(arg('backend', 'hashmap'), '--backend');
const keys = Number(arg('keys', '1000000'));
const seconds = Number(arg('seconds', '20'));
const interval = Number(arg('interval', '1000'));

type Run = {
  eventsPerSecond: number;
  checkpoints: { durationMs: number; sizeBytes: number }[];
  /** Throughput per 250 ms bucket after the warm-up (all keys created). */
  buckets: number[];
};

function runningCount(): KeyedProcessFunction<number, number, number> {
  let count!: ValueState<number>;
  return {
    open(ctx) {
      count = ctx.getState(valueState<number>('count'));
    },
    processElement(_k, _ctx, out) {
      const next = (count.value() ?? 0) + 1;
      count.update(next);
      out.collect(next);
    },
  };
}

async function run(checkpointing: boolean): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-bench-cp-'));
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 1 }).setStateBackend(backend);
  if (checkpointing) env.enableCheckpointing(interval, { storage: dir, retained: 1 });
  const sink = new CountingSink<number>();
  env
    .fromSource(
      new DataGeneratorSource((i) => i % keys, { count: Number.MAX_SAFE_INTEGER }),
      undefined,
      'events',
    )
    .uid('events')
    .keyBy((k) => k)
    .process(runningCount())
    .uid('count')
    .sinkTo(sink);
  const job = env.executeAsync('checkpoint-bench');
  const seen = new Map<number, { durationMs: number; sizeBytes: number }>();
  const buckets: number[] = [];
  const start = performance.now();
  let last = 0;
  let warm = false;
  let warmAt = 0;
  let warmCount = 0;
  while (performance.now() - start < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 250));
    const c = sink.count;
    if (!warm && c >= keys) {
      warm = true;
      warmAt = performance.now();
      warmCount = c;
    } else if (warm) buckets.push((c - last) * 4);
    last = c;
    const lc = job.checkpointStats()?.lastCompleted;
    if (lc !== undefined && lc !== null && warm)
      seen.set(lc.id, { durationMs: lc.durationMs, sizeBytes: lc.sizeBytes });
  }
  const end = performance.now();
  const total = sink.count;
  await job.cancel();
  rmSync(dir, { recursive: true, force: true });
  return {
    eventsPerSecond: warm ? Math.round(((total - warmCount) * 1000) / (end - warmAt)) : 0,
    checkpoints: [...seen.values()],
    buckets,
  };
}

const quantile = (xs: number[], q: number) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const without = await run(false);
const withCp = await run(true);
const durations = withCp.checkpoints.map((c) => c.durationMs);
process.stdout.write(
  `${JSON.stringify({
    case: 'checkpoint-large-state',
    backend: backend.type,
    keys,
    intervalMs: interval,
    eventsPerSecondWithoutCheckpoints: without.eventsPerSecond,
    eventsPerSecondWithCheckpoints: withCp.eventsPerSecond,
    dipPercent: Math.round((1 - withCp.eventsPerSecond / without.eventsPerSecond) * 1000) / 10,
    lowest250msBucket: Math.min(...withCp.buckets),
    checkpointsCompleted: withCp.checkpoints.length,
    checkpointP50Ms: quantile(durations, 0.5),
    checkpointMaxMs: Math.max(0, ...durations),
    checkpointSizeMiB: Math.round((withCp.checkpoints.at(-1)?.sizeBytes ?? 0) / 1048576),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
