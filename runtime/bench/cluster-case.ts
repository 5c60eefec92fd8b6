// Cross-process benchmark: a JobManager and two TaskManagers (one slot each) as real processes; the job's
// keyBy exchange crosses the processes over TCP. Reports events per core-second (CPU of all processes)
// and, at a given rate, end-to-end latency percentiles.
//   node runtime/bench/cluster-case.ts throughput [events]
//   node runtime/bench/cluster-case.ts latency [rate] [seconds]
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalCluster } from './local-cluster.ts';

const JOB = resolve(import.meta.dirname, 'jobs/keyby-exchange.ts');

export async function runClusterCase(
  mode: 'throughput' | 'latency',
  a: number,
  b: number,
): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-bench-'));
  const cluster = await LocalCluster.start(2);
  try {
    const cpuBefore = cluster.cpuSeconds();
    const events = mode === 'throughput' ? a : Math.round(a * b);
    const args =
      mode === 'throughput' ? [join(dir, 'r'), String(events)] : [join(dir, 'r'), String(events), String(a)];
    const t0 = performance.now();
    await cluster.runJob(JOB, args, 2);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cluster.cpuSeconds().reduce((n, c, i) => n + c - cpuBefore[i]!, 0);
    const parts = [0, 1]
      .map((s) => join(dir, `r.${s}.json`))
      .filter(existsSync)
      .map((f) => JSON.parse(readFileSync(f, 'utf8')));
    const received = parts.reduce((n, p) => n + p.count, 0);
    if (received !== events) throw new Error(`expected ${events} records at the sinks, got ${received}`);
    return {
      case: `cluster-keyby-${mode}`,
      events,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSecond: Math.round(events / seconds),
      cpuSeconds: Number(cpu.toFixed(2)),
      eventsPerCoreSecond: Math.round(events / cpu),
      ...(mode === 'latency'
        ? {
            rate: a,
            p50Ms: Math.max(...parts.map((p) => p.p50)),
            p99Ms: Math.max(...parts.map((p) => p.p99)),
          }
        : {}),
      peakRssMiB: cluster.peakRssMiB(),
    };
  } finally {
    cluster.close();
  }
}

if (import.meta.main) {
  const [mode = 'throughput', x, y] = process.argv.slice(2);
  const result =
    mode === 'latency'
      ? await runClusterCase('latency', Number(x ?? 250_000), Number(y ?? 10))
      : await runClusterCase('throughput', Number(x ?? 5_000_000), 0);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
