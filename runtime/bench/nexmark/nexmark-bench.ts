// `npm run bench -- nexmark [--queries q0,q5] [--events N] [--parallelism P] [--taskmanagers T]
//   [--engine local|cluster|both] [--rate R] [--out DIR] [--compare old.json]`
// Runs each query in the local engine (its own process) and on a local cluster (a JobManager and T
// TaskManagers, fresh per query), and reports events/s, CPU seconds of all processes, events per
// core-second, p50/p99 latency (paced runs, --rate) and peak RSS. Writes DIR/nexmark-<time>.json and .md.
// Events per core-second = events / CPU seconds of all processes during the measured job. On the cluster a
// 1,000-event warm-up job of the same query runs first (the reference also warms up): the first job of a
// TaskManager pays for compiling the runtime's modules (about 2 CPU s). Locally, module loading is not
// counted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalCluster } from '../local-cluster.ts';
import type { SinkReport } from './measuring-sink.ts';
import { QUERIES } from './queries/index.ts';
import { TARGETS } from './targets.ts';

const JOB = resolve(import.meta.dirname, 'nexmark-job.ts');
const RUN_LOCAL = resolve(import.meta.dirname, 'run-local.ts');

export type NexmarkRow = {
  query: string;
  engine: 'local' | 'cluster';
  parallelism: number;
  events: number;
  outputs: number;
  seconds: number;
  eventsPerSecond: number;
  cpuSeconds: number;
  /** CPU seconds of the warm-up job (1,000 events) that ran before the measured one on the same cluster. */
  warmupCpuSeconds: number;
  eventsPerCoreSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  peakRssMiB: number;
  target: number | null;
  /** A latency run (--rate): events emitted at their event time. */
  paced: boolean;
};

export type NexmarkOptions = {
  queries: string[];
  events: number;
  parallelism: number;
  taskmanagers: number;
  engines: ('local' | 'cluster')[];
  rate: number;
  outDir: string;
  compare: string | undefined;
};

export function parseNexmarkArgs(argv: readonly string[]): NexmarkOptions {
  const o: NexmarkOptions = {
    queries: Object.keys(QUERIES),
    events: 2_000_000,
    parallelism: 0,
    taskmanagers: 2,
    engines: ['local', 'cluster'],
    rate: 0,
    outDir: 'bench-results',
    compare: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[++i];
    if (value === undefined) throw new Error(`nexmark: ${flag} needs a value`);
    const num = () => {
      const n = Number(value);
      if (!(Number.isInteger(n) && n > 0))
        throw new Error(`nexmark: ${flag} must be a positive integer, got ${value}`);
      return n;
    };
    if (flag === '--queries') {
      o.queries = value.split(',').filter((q) => q.length > 0);
      const unknown = o.queries.filter((q) => QUERIES[q] === undefined);
      if (unknown.length > 0)
        throw new Error(
          `nexmark: unknown queries ${unknown.join(', ')}; known: ${Object.keys(QUERIES).join(', ')}`,
        );
    } else if (flag === '--events') o.events = num();
    else if (flag === '--parallelism') o.parallelism = num();
    else if (flag === '--taskmanagers') o.taskmanagers = num();
    else if (flag === '--rate') o.rate = num();
    else if (flag === '--out') o.outDir = value;
    else if (flag === '--compare') o.compare = value;
    else if (flag === '--engine') {
      if (value !== 'local' && value !== 'cluster' && value !== 'both')
        throw new Error(`nexmark: --engine is local, cluster or both, got ${value}`);
      o.engines = value === 'both' ? ['local', 'cluster'] : [value];
    } else throw new Error(`nexmark: unknown option ${flag}`);
  }
  if (o.parallelism === 0) o.parallelism = o.taskmanagers;
  return o;
}

function sinkReports(prefix: string, parallelism: number): SinkReport[] {
  return Array.from({ length: parallelism }, (_, s) => `${prefix}.${s}.json`)
    .filter(existsSync)
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as SinkReport);
}

function row(
  query: string,
  engine: 'local' | 'cluster',
  o: NexmarkOptions,
  seconds: number,
  cpu: number,
  rss: number,
  reports: SinkReport[],
  overhead = 0,
): NexmarkRow {
  const maxOf = (k: 'p50' | 'p99') => {
    const vs = reports.map((r) => r[k]).filter((v): v is number => v !== null);
    return vs.length === 0 ? null : Math.max(...vs);
  };
  return {
    query,
    engine,
    parallelism: o.parallelism,
    events: o.events,
    outputs: reports.reduce((n, r) => n + r.count, 0),
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(o.events / seconds),
    cpuSeconds: Number(cpu.toFixed(2)),
    warmupCpuSeconds: Number(overhead.toFixed(2)),
    eventsPerCoreSecond: Math.round(o.events / cpu),
    p50Ms: maxOf('p50'),
    p99Ms: maxOf('p99'),
    peakRssMiB: rss,
    target: TARGETS[query] ?? null,
    paced: o.rate > 0,
  };
}

/**
 * A paced cluster run's event time starts this far after submission, so its sources do not begin behind
 * the wall clock (locally, run-local.ts starts event time itself once loaded). The first second of event
 * time is warm-up either way (not counted in latency).
 */
const PACED_START_DELAY_MS = 3000;

function runLocal(query: string, o: NexmarkOptions, dir: string): NexmarkRow {
  const prefix = join(dir, `${query}-local`);
  const base = o.rate > 0 ? 'now' : '0';
  const child = spawnSync(
    process.execPath,
    [RUN_LOCAL, query, prefix, String(o.events), String(o.parallelism), String(o.rate), String(base)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`nexmark ${query} (local) failed with exit ${child.status}`);
  const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    seconds: number;
    cpuSeconds: number;
    peakRssMiB: number;
  };
  return row(query, 'local', o, r.seconds, r.cpuSeconds, r.peakRssMiB, sinkReports(prefix, o.parallelism));
}

async function runCluster(query: string, o: NexmarkOptions, dir: string): Promise<NexmarkRow> {
  const prefix = join(dir, `${query}-cluster`);
  const cluster = await LocalCluster.start(o.taskmanagers, Math.ceil(o.parallelism / o.taskmanagers));
  try {
    // Warm-up: the first job of a TaskManager loads and compiles the runtime's modules.
    const warm0 = cluster.cpuSeconds();
    await cluster.runJob(JOB, [query, `${prefix}-warmup`, '1000', '0', '0'], o.parallelism);
    const overhead = cluster.cpuSeconds().reduce((n, c, i) => n + c - warm0[i]!, 0);
    const before = cluster.cpuSeconds();
    const base = o.rate > 0 ? Date.now() + PACED_START_DELAY_MS : 0;
    const t0 = performance.now();
    await cluster.runJob(JOB, [query, prefix, String(o.events), String(o.rate), String(base)], o.parallelism);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cluster.cpuSeconds().reduce((n, c, i) => n + c - before[i]!, 0);
    return row(
      query,
      'cluster',
      o,
      seconds,
      cpu,
      cluster.peakRssMiB(),
      sinkReports(prefix, o.parallelism),
      overhead,
    );
  } finally {
    cluster.close();
  }
}

const fmt = (v: number | null) => (v === null ? '' : v.toLocaleString('en-US'));

export function markdownTable(rows: readonly NexmarkRow[], old: readonly NexmarkRow[] = []): string {
  const before = new Map(old.map((r) => [`${r.query}/${r.engine}`, r]));
  const lines = [
    `| query | engine | P | events | events/s | CPU s (warm-up job) | events per core-second | target | p50 / p99 ms | peak RSS MiB |${old.length > 0 ? ' vs. before |' : ''}`,
    `|---|---|---:|---:|---:|---:|---:|---:|---:|---:|${old.length > 0 ? '---:|' : ''}`,
  ];
  for (const r of rows) {
    // Paced runs idle between events: their events per core-second are not throughput figures.
    const met = r.target === null || r.paced ? '' : r.eventsPerCoreSecond >= r.target ? ' ✓' : ' ✗';
    const lat = r.p50Ms === null ? '' : `${r.p50Ms} / ${r.p99Ms}`;
    const prev = before.get(`${r.query}/${r.engine}`);
    const delta =
      prev === undefined
        ? ''
        : ` ${((100 * (r.eventsPerCoreSecond - prev.eventsPerCoreSecond)) / prev.eventsPerCoreSecond).toFixed(0)}% |`;
    lines.push(
      `| ${r.query} | ${r.engine} | ${r.parallelism} | ${fmt(r.events)} | ${fmt(r.eventsPerSecond)} | ${r.cpuSeconds.toFixed(2)} (${r.warmupCpuSeconds.toFixed(2)}) | ${fmt(r.eventsPerCoreSecond)} | ${fmt(r.target)}${met} | ${lat} | ${r.peakRssMiB} |${old.length > 0 ? delta || ' |' : ''}`,
    );
  }
  return lines.join('\n');
}

export async function runNexmark(argv: readonly string[]): Promise<NexmarkRow[]> {
  const o = parseNexmarkArgs(argv);
  const old =
    o.compare === undefined
      ? []
      : (JSON.parse(readFileSync(o.compare, 'utf8')) as { rows: NexmarkRow[] }).rows;
  const dir = mkdtempSync(join(tmpdir(), 'riffle-nexmark-'));
  const rows: NexmarkRow[] = [];
  for (const query of o.queries) {
    for (const engine of o.engines) {
      const r = engine === 'local' ? runLocal(query, o, dir) : await runCluster(query, o, dir);
      process.stderr.write(`${query} ${engine}: ${fmt(r.eventsPerCoreSecond)} events per core-second\n`);
      rows.push(r);
    }
  }
  mkdirSync(o.outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`;
  const table = markdownTable(rows, old);
  const json = join(o.outDir, `nexmark-${stamp}.json`);
  writeFileSync(json, `${JSON.stringify({ machine, options: o, rows }, null, 2)}\n`);
  writeFileSync(join(o.outDir, `nexmark-${stamp}.md`), `${machine}\n\n${table}\n`);
  console.log(`\n${machine}; results in ${json}\n\n${table}`);
  return rows;
}

if (import.meta.main) await runNexmark(process.argv.slice(2));
