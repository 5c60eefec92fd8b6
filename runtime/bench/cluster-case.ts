// Cross-process benchmark: a JobManager and two TaskManagers (one slot each) as real processes; the job's
// keyBy exchange crosses the processes over TCP. Reports events per core-second (CPU of all processes)
// and, at a given rate, end-to-end latency percentiles.
//   node runtime/bench/cluster-case.ts throughput [events]
//   node runtime/bench/cluster-case.ts latency [rate] [seconds]
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(import.meta.dirname, '../src/cli/main.ts');
const JOB = resolve(import.meta.dirname, 'jobs/keyby-exchange.ts');
const CLOCK_TICKS = 100;

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function rssMiB(pid: number): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function runClusterCase(
  mode: 'throughput' | 'latency',
  a: number,
  b: number,
): Promise<Record<string, number | string>> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'riffle-bench-'));
  const env = { ...process.env, RIFFLE_LOG_LEVEL: 'warn', RIFFLE_LOG_FORMAT: 'json' };
  const procs: ChildProcess[] = [
    spawn(process.execPath, [MAIN, 'jobmanager', '--port', String(port)], { stdio: 'ignore', env }),
  ];
  for (const id of ['tm-1', 'tm-2']) {
    procs.push(
      spawn(process.execPath, [MAIN, 'taskmanager', '--jobmanager', url, '--slots', '1', '--id', id], {
        stdio: 'ignore',
        env,
      }),
    );
  }
  try {
    await until(async () => {
      const o = await fetch(`${url}/overview`).then(
        (r) => r.json() as Promise<{ taskmanagers: number }>,
        () => undefined,
      );
      return o?.taskmanagers === 2;
    }, 30_000);
    const cpuBefore = procs.map((p) => cpuSeconds(p.pid!));
    const events = mode === 'throughput' ? a : Math.round(a * b);
    const args =
      mode === 'throughput' ? [join(dir, 'r'), String(events)] : [join(dir, 'r'), String(events), String(a)];
    const t0 = performance.now();
    const res = await fetch(`${url}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jobModule: JOB, args, parallelism: 2 }),
    });
    const { jobid } = (await res.json()) as { jobid: string };
    await until(async () => {
      const j = (await fetch(`${url}/jobs/${jobid}`).then((r) => r.json())) as { state: string };
      if (j.state === 'FAILED') throw new Error('benchmark job failed');
      return j.state === 'FINISHED';
    }, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = procs.reduce((n, p, i) => n + cpuSeconds(p.pid!) - cpuBefore[i]!, 0);
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
      peakRssMiB: Math.round(Math.max(...procs.map((p) => rssMiB(p.pid!)))),
    };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
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
