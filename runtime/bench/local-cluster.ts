// A local cluster of real processes for benchmarks: one JobManager and T TaskManagers on this machine.
// It submits jobs over REST, waits for them to finish, and reads CPU time and peak memory of every process
// from /proc, so benchmarks can report events per core-second over all processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const MAIN = resolve(import.meta.dirname, '../src/cli/main.ts');
const CLOCK_TICKS = 100;

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/** User + system CPU seconds of a process so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Peak resident memory of a process in MiB (VmHWM). */
export function rssMiB(pid: number): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

/**
 * Polls `check` until it holds: every 50 ms for the first second, then every 250 ms, so that polling a
 * long benchmark job costs the JobManager little CPU (it is counted in the results).
 */
export async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() > start + ms) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, Date.now() - start < 1000 ? 50 : 250));
  }
}

export class LocalCluster {
  readonly url: string;
  readonly procs: ChildProcess[];

  private constructor(url: string, procs: ChildProcess[]) {
    this.url = url;
    this.procs = procs;
  }

  /** Starts a JobManager and `taskmanagers` TaskManagers with `slots` slots each; resolves when registered. */
  static async start(taskmanagers: number, slots = 1): Promise<LocalCluster> {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = { ...process.env, RIFFLE_LOG_LEVEL: 'warn', RIFFLE_LOG_FORMAT: 'json' };
    const procs: ChildProcess[] = [
      spawn(process.execPath, [MAIN, 'jobmanager', '--port', String(port)], { stdio: 'ignore', env }),
    ];
    for (let i = 1; i <= taskmanagers; i++) {
      procs.push(
        spawn(
          process.execPath,
          [MAIN, 'taskmanager', '--jobmanager', url, '--slots', String(slots), '--id', `tm-${i}`],
          { stdio: 'ignore', env },
        ),
      );
    }
    const cluster = new LocalCluster(url, procs);
    try {
      await until(async () => {
        const o = await fetch(`${url}/overview`).then(
          (r) => r.json() as Promise<{ taskmanagers: number }>,
          () => undefined,
        );
        return o?.taskmanagers === taskmanagers;
      }, 30_000);
    } catch (e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** CPU seconds of every process of the cluster so far. */
  cpuSeconds(): number[] {
    return this.procs.map((p) => cpuSeconds(p.pid!));
  }

  /** The largest peak RSS over the cluster's processes, in MiB. */
  peakRssMiB(): number {
    return Math.round(Math.max(...this.procs.map((p) => rssMiB(p.pid!))));
  }

  /** Submits a job module and waits until it has finished; throws if it fails. */
  async runJob(jobModule: string, args: string[], parallelism: number, timeoutMs = 600_000): Promise<void> {
    const res = await fetch(`${this.url}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jobModule, args, parallelism }),
    });
    const { jobid } = (await res.json()) as { jobid: string };
    await until(async () => {
      const j = (await fetch(`${this.url}/jobs/${jobid}`).then((r) => r.json())) as { state: string };
      if (j.state === 'FAILED') throw new Error(`benchmark job ${jobModule} failed`);
      return j.state === 'FINISHED';
    }, timeoutMs);
  }

  close(): void {
    for (const p of this.procs) p.kill('SIGTERM');
  }
}
