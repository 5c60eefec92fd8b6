// Test harness: a Riffle cluster of real processes (riffle jobmanager / riffle taskmanager), each stopped
// by its own PID. Processes log JSON to files under a temporary directory so a failing test can show them.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(import.meta.dirname, '../../../runtime/src/cli/main.ts');

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

export type ManagedProcess = { name: string; child: ChildProcess; log: string };

export class LocalCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'riffle-cluster-'));
  readonly processes: ManagedProcess[] = [];
  jobManagerUrl = '';

  #spawn(name: string, args: string[]): ManagedProcess {
    const log = join(this.dir, `${name}.log`);
    const out = createWriteStream(log);
    const child = spawn(process.execPath, [MAIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RIFFLE_LOG_FORMAT: 'json' },
    });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    const p = { name, child, log };
    this.processes.push(p);
    return p;
  }

  /** Starts a JobManager; `port` reuses an address (a restarted JobManager), `args` add e.g. --job. */
  async startJobManager(
    options: { heartbeatTimeoutMs?: number; port?: number; args?: string[]; name?: string } = {},
  ): Promise<ManagedProcess> {
    const port = options.port ?? (await freePort());
    this.jobManagerUrl = `http://127.0.0.1:${port}`;
    const p = this.#spawn(options.name ?? 'jobmanager', [
      'jobmanager',
      '--port',
      String(port),
      '--heartbeat-timeout',
      String(options.heartbeatTimeoutMs ?? 3000),
      ...(options.args ?? []),
    ]);
    await waitFor(
      async () => (await fetch(`${this.jobManagerUrl}/overview`).catch(() => undefined))?.ok === true,
      20_000,
      () => `JobManager did not answer on ${this.jobManagerUrl}\n${this.tail(p)}`,
    );
    return p;
  }

  startTaskManager(name: string, slots: number): ManagedProcess {
    return this.#spawn(name, [
      'taskmanager',
      '--jobmanager',
      this.jobManagerUrl,
      '--slots',
      String(slots),
      '--heartbeat-interval',
      '300',
      '--id',
      name,
    ]);
  }

  kill(p: ManagedProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    return new Promise((res) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return res();
      p.child.once('exit', () => res());
      p.child.kill(signal);
    });
  }

  tail(p: ManagedProcess, lines = 30): string {
    try {
      return readFileSync(p.log, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  logs(): string {
    return this.processes.map((p) => `--- ${p.name} ---\n${this.tail(p)}`).join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((p) => this.kill(p, 'SIGTERM')));
  }
}

/** Polls `check` until it is true; fails with `describe()` after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
