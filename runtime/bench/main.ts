// `npm run bench [-- --events N] [case ...]` (or `npm run bench -- nexmark ...`, see nexmark/nexmark-bench.ts): runs each benchmark case in its own process (so peak memory
// is per case) and prints a table. Results are measurements, not assertions.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { runClusterCase } from './cluster-case.ts';
import { CASES } from './local-cases.ts';

const argv = process.argv.slice(2);
if (argv[0] === 'nexmark') {
  const { runNexmark } = await import('./nexmark/nexmark-bench.ts');
  await runNexmark(argv.slice(1));
  process.exit(0);
}
let events = 5_000_000;
/** The rate of the latency case: about half the cross-process maximum measured on 2 cores (4 M events/s). */
let latencyRate = 2_000_000;
const wanted: string[] = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--events') events = Number(argv[++i]);
  else if (argv[i] === '--rate') latencyRate = Number(argv[++i]);
  else wanted.push(argv[i]!);
}
const CLUSTER_CASES = ['cluster-throughput', 'cluster-latency'];
const names = wanted.length > 0 ? wanted : [...Object.keys(CASES), ...CLUSTER_CASES];
const rows: Record<string, unknown>[] = [];
for (const name of names.filter((n) => CLUSTER_CASES.includes(n))) {
  // Real processes: a JobManager and two TaskManagers; the keyBy exchange crosses them over TCP.
  rows.push(
    name === 'cluster-throughput'
      ? await runClusterCase('throughput', events, 0)
      : await runClusterCase('latency', Math.round(latencyRate), 8),
  );
}
for (const name of names.filter((n) => !CLUSTER_CASES.includes(n))) {
  const child = spawnSync(
    process.execPath,
    [resolve(import.meta.dirname, 'run-case.ts'), name, String(events)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (child.status !== 0) {
    process.stderr.write(`case ${name} failed (exit ${child.status})\n`);
    process.exitCode = 1;
    continue;
  }
  rows.push(JSON.parse(child.stdout.trim().split('\n').pop()!));
}
console.log(`\nnode ${process.version}, ${events.toLocaleString('en-US')} events per case\n`);
const fmt = (v: unknown) =>
  v === undefined ? '' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
console.log('| case | events/s | CPU s | events per core-second | p99 latency ms | peak RSS MiB |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const perCore = r.eventsPerCoreSecond ?? Math.round(Number(r.records) / Number(r.cpuSeconds));
  console.log(
    `| ${r.case} | ${fmt(r.eventsPerSecond)} | ${Number(r.cpuSeconds).toFixed(2)} | ${fmt(perCore)} | ${fmt(r.p99Ms)} | ${r.peakRssMiB} |`,
  );
}
