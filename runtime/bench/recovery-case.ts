// Recovery time: a JobManager and three TaskManagers (one spare) as real processes run a checkpointed
// keyed job at parallelism 2; one TaskManager is killed with SIGKILL, and the time until every task of
// the restarted job runs again (restored from the latest checkpoint) is measured.
//   node runtime/bench/recovery-case.ts [repeats]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(import.meta.dirname, '../src/cli/main.ts');
const JOB = resolve(import.meta.dirname, '../../test/fixtures/jobs/exactly-once-count.ts');

type JobDetails = { state: string; vertices: { parallelism: number; tasks: Record<string, number> }[] };

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function once(): Promise<number> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'riffle-recovery-'));
  const env = {
    ...process.env,
    RIFFLE_LOG_LEVEL: process.env.RIFFLE_LOG_LEVEL ?? 'warn',
    RIFFLE_LOG_FORMAT: 'json',
  };
  // RIFFLE_BENCH_LOG=1 lets the processes' logs through to stderr, to see where recovery time goes.
  const out = process.env.RIFFLE_BENCH_LOG ? 'inherit' : 'ignore';
  const spawnRiffle = (args: string[]): ChildProcess =>
    spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', out, out], env });
  const procs: ChildProcess[] = [
    spawnRiffle([
      'jobmanager',
      '--port',
      String(port),
      '--heartbeat-timeout',
      process.env.RIFFLE_HEARTBEAT_TIMEOUT ?? '10000',
    ]),
  ];
  try {
    await until(async () => (await fetch(`${url}/overview`)).ok, 20_000);
    const tms = ['tm-1', 'tm-2', 'tm-3'].map((id) =>
      spawnRiffle([
        'taskmanager',
        '--jobmanager',
        url,
        '--slots',
        '1',
        '--id',
        id,
        '--heartbeat-interval',
        '300',
      ]),
    );
    procs.push(...tms);
    await until(
      async () =>
        ((await (await fetch(`${url}/overview`)).json()) as { taskmanagers: number }).taskmanagers === 3,
      20_000,
    );
    const res = await fetch(`${url}/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jobModule: JOB,
        args: [join(dir, 'out'), join(dir, 'cp'), '10000000', '20000', '100'],
        parallelism: 2,
      }),
    });
    const { jobid } = (await res.json()) as { jobid: string };
    const allRunning = async () => {
      const j = (await (await fetch(`${url}/jobs/${jobid}`)).json()) as JobDetails;
      return j.state === 'RUNNING' && j.vertices.every((v) => (v.tasks.RUNNING ?? 0) === v.parallelism);
    };
    await until(allRunning, 20_000);
    await until(
      async () =>
        (
          (await (await fetch(`${url}/jobs/${jobid}/checkpoints`)).json()) as {
            counts: { completed: number };
          }
        ).counts.completed >= 2,
      20_000,
    );
    const victim = tms[0]!;
    const killedAt = performance.now();
    victim.kill('SIGKILL');
    await until(async () => !(await allRunning()), 10_000);
    await until(allRunning, 30_000);
    return performance.now() - killedAt;
  } finally {
    for (const p of procs) p.kill('SIGTERM');
  }
}

const repeats = Number(process.argv[2] ?? 3);
const times: number[] = [];
for (let i = 0; i < repeats; i++) times.push(Math.round(await once()));
process.stdout.write(`${JSON.stringify({ case: 'taskmanager-sigkill-to-running', ms: times })}\n`);
