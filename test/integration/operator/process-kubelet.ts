// The test's stand-in for a kubelet that really runs containers. kwok marks the pods of the test control
// plane Running without running anything, so this watches the riffle Deployments of one namespace and runs
// each one's container command (the real `riffle jobmanager` / `riffle taskmanager` with the operator's
// arguments) as local processes: `replicas` processes per Deployment, replaced (Recreate: old ones killed
// first) when the pod template's plan hash changes, killed when the Deployment is scaled to zero or deleted.
// The only rewriting is networking: 0.0.0.0 / $(POD_IP) become 127.0.0.1 and the JobManager Service DNS name
// becomes 127.0.0.1 (the test gives every StreamJob its own jobManager.port).
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppsV1Api, type KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { repoRoot } from '../test-env.ts';

type Running = { hash: string; processes: { child: ChildProcess; log: string }[] };

export class ProcessKubelet {
  readonly #apps: AppsV1Api;
  readonly #namespace: string;
  readonly #logDir: string;
  readonly #running = new Map<string, Running>();
  readonly #starts: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #stopped = false;
  #seq = 0;

  constructor(kc: KubeConfig, namespace: string, logDir: string) {
    this.#apps = kc.makeApiClient(AppsV1Api);
    this.#namespace = namespace;
    this.#logDir = logDir;
    mkdirSync(logDir, { recursive: true });
  }

  /** Every container start, as "deployment: args" (what the operator asked for, in order). */
  get starts(): readonly string[] {
    return this.#starts;
  }

  start(): void {
    const tick = async () => {
      if (this.#stopped) return;
      if (!this.#busy) {
        this.#busy = true;
        await this.sync().catch(() => undefined);
        this.#busy = false;
      }
      this.#timer = setTimeout(tick, 150);
    };
    void tick();
  }

  async sync(): Promise<void> {
    const list = await this.#apps.listNamespacedDeployment({
      namespace: this.#namespace,
      labelSelector: 'app.kubernetes.io/managed-by=riffle-operator',
    });
    const seen = new Set<string>();
    for (const d of list.items) {
      const name = d.metadata!.name!;
      seen.add(name);
      const replicas = d.spec?.replicas ?? 1;
      const hash = `${JSON.stringify(d.spec?.template)}/${replicas}`;
      const current = this.#running.get(name);
      if (current?.hash === hash) continue;
      if (current !== undefined) await this.#kill(name);
      if (replicas > 0) this.#launch(d, hash, replicas);
    }
    for (const name of [...this.#running.keys()]) if (!seen.has(name)) await this.#kill(name);
  }

  #launch(d: V1Deployment, hash: string, replicas: number): void {
    const name = d.metadata!.name!;
    const container = d.spec!.template.spec!.containers[0]!;
    const [command, ...commandArgs] = container.command ?? [];
    if (command !== 'node') throw new Error(`${name}: expected the runtime's node command, got ${command}`);
    const args = [...commandArgs, ...(container.args ?? [])].map((a) =>
      a
        .replace(/^0\.0\.0\.0$/, '127.0.0.1')
        .replace('$(POD_IP)', '127.0.0.1')
        .replace(/^http:\/\/[a-z0-9-]+\.[a-z0-9-]+\.svc:/, 'http://127.0.0.1:'),
    );
    const processes = [];
    for (let i = 0; i < replicas; i++) {
      const log = join(this.#logDir, `${name}-${++this.#seq}.log`);
      const out = createWriteStream(log);
      const child = spawn(process.execPath, args, {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, RIFFLE_LOG_FORMAT: 'json' },
      });
      child.stdout!.pipe(out);
      child.stderr!.pipe(out);
      processes.push({ child, log });
    }
    this.#starts.push(`${name}: ${args.slice(1).join(' ')}`);
    this.#running.set(name, { hash, processes });
  }

  async #kill(name: string): Promise<void> {
    const r = this.#running.get(name);
    this.#running.delete(name);
    if (r === undefined) return;
    await Promise.all(
      r.processes.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
  }

  /** Kills the processes of one Deployment (a lost pod); the next sync starts replacements, as a ReplicaSet. */
  async killPods(deployment: string): Promise<void> {
    while (this.#busy) await new Promise((r) => setTimeout(r, 20));
    await this.#kill(deployment);
  }

  /** Sends a signal to the processes of one Deployment (SIGSTOP freezes a JobManager, SIGCONT thaws it). */
  signal(deployment: string, signal: NodeJS.Signals): void {
    for (const p of this.#running.get(deployment)?.processes ?? []) p.child.kill(signal);
  }

  logs(): string {
    return [...this.#running.entries()]
      .flatMap(([name, r]) =>
        r.processes.map((p) => {
          let text = '';
          try {
            text = readFileSync(p.log, 'utf8').trim().split('\n').slice(-15).join('\n');
          } catch {}
          return `--- ${name} ---\n${text}`;
        }),
      )
      .join('\n');
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    while (this.#busy) await new Promise((r) => setTimeout(r, 20));
    for (const name of [...this.#running.keys()]) await this.#kill(name);
  }
}
