// The TaskManager: offers slots (one worker thread each) to a JobManager found at an address it is given.
// It registers and keeps retrying until the JobManager is reachable, heartbeats, runs the shares it is
// deployed, and forwards task state changes. It knows nothing of Kubernetes.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { cpus, freemem, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  createMetricsHandler,
  createMetricsRegistry,
  TaskManagerMetrics,
  TaskMetrics,
} from '../metrics/index.ts';
import { BadRequestError, postJson, readJson, sendError, sendJson } from './json-http.ts';
import { createLogger, type Logger } from './logger.ts';
import {
  CancelRequest,
  CheckpointTrigger,
  DeployRequest,
  type Endpoint,
  type RegisterTaskManager,
  type TaskStateUpdate,
} from './rpc-messages.ts';
import type { FromWorker, SubtaskMetrics, ToWorker, WorkerData } from './worker-messages.ts';

export type TaskManagerOptions = {
  readonly jobManagerUrl: string;
  readonly slots: number;
  readonly host?: string;
  readonly port?: number;
  readonly heartbeatIntervalMs?: number;
  readonly taskManagerId?: string;
};

type Slot = { worker: Worker; data: Endpoint };

export class TaskManager {
  readonly id: string;
  readonly #options: TaskManagerOptions;
  readonly #log: Logger;
  readonly #slots: Slot[] = [];
  #server: Server | undefined;
  #controlUrl = '';
  #registered = false;
  #stopped = false;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #registry = createMetricsRegistry({ component: 'taskmanager' });
  readonly #taskMetrics = new TaskMetrics(this.#registry);
  readonly #tmMetrics = new TaskManagerMetrics(this.#registry);
  readonly #metricsHandler = createMetricsHandler(this.#registry);
  readonly #busySlots = new Set<number>();
  onMetrics: ((slot: number, subtasks: SubtaskMetrics[]) => void) | undefined;

  constructor(options: TaskManagerOptions) {
    if (!Number.isInteger(options.slots) || options.slots < 1) {
      throw new RangeError(`--slots must be a positive integer, got ${options.slots}`);
    }
    this.#options = options;
    this.id = options.taskManagerId ?? `tm-${randomUUID().slice(0, 8)}`;
    this.#log = createLogger('taskmanager', { taskManagerId: this.id });
  }

  get controlUrl(): string {
    return this.#controlUrl;
  }

  async start(): Promise<void> {
    const host = this.#options.host ?? '127.0.0.1';
    for (let i = 0; i < this.#options.slots; i++) this.#slots.push(await this.#startWorker(i, host));
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((e) => sendError(res, e));
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.#options.port ?? 0, host, resolve));
    const addr = this.#server.address() as { port: number };
    this.#controlUrl = `http://${host}:${addr.port}`;
    this.#log.info({ slots: this.#options.slots, controlUrl: this.#controlUrl }, 'TaskManager started');
    void this.#registerLoop();
  }

  #startWorker(index: number, host: string): Promise<Slot> {
    const data: WorkerData = { slotIndex: index, host, taskManagerId: this.id };
    const worker = new Worker(new URL('./worker-main.ts', import.meta.url), { workerData: data });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          worker.off('error', reject);
          worker.on('error', (e) => {
            // An error escaped the slot's tasks (a connector bug, say): the worker is gone, and with it its
            // data endpoint. Start a new one and register again with it; the JobManager fails over the jobs
            // that ran here, which restore from their latest checkpoint.
            this.#log.error({ slot: index, err: e.message }, 'slot worker crashed; starting a new one');
            void this.#replaceWorker(index, host);
          });
          resolve({ worker, data: m.data });
        } else if (m.type === 'task-state') {
          const u = m.update;
          const fields = {
            jobId: u.jobId,
            attempt: u.attempt,
            vertex: u.vertexId,
            subtask: u.subtask,
            state: u.state,
          };
          if (u.state === 'failed') this.#log.warn({ ...fields, err: u.error?.message }, 'Task failed');
          else this.#log.debug(fields, 'Task changed state');
          void this.#sendTaskState({ ...u, taskManagerId: this.id });
        } else if (m.type === 'log') {
          this.#log[m.level]({ slot: index, ...m.fields }, m.message);
        } else if (m.type === 'checkpoint-ack') {
          void postJson(`${this.#options.jobManagerUrl}/internal/checkpoint-ack`, {
            ...m.ack,
            taskManagerId: this.id,
          }).catch((e: Error) =>
            this.#log.warn({ err: e.message }, 'checkpoint acknowledgement not delivered'),
          );
        } else if (m.type === 'metrics') {
          this.#recordMetrics(index, m.subtasks);
          this.onMetrics?.(index, m.subtasks);
        }
      });
    });
  }

  #recordMetrics(slot: number, subtasks: SubtaskMetrics[]): void {
    if (subtasks.length > 0) this.#busySlots.add(slot);
    else this.#busySlots.delete(slot);
    this.#tmMetrics.setSlots(this.#options.slots, this.#options.slots - this.#busySlots.size);
    for (const t of subtasks) {
      for (const [i, op] of t.operators.entries()) {
        const m = op.metrics;
        // Network bytes belong to the task: received by its first operator, sent by its last.
        const first = i === 0;
        const last = i === t.operators.length - 1;
        this.#taskMetrics.update({
          jobId: t.jobId,
          task: t.task,
          subtask: t.subtask,
          operator: op.name,
          recordsIn: m.numRecordsIn,
          recordsOut: m.numRecordsOut,
          bytesIn: first ? t.network.bytesIn : 0,
          bytesOut: last ? t.network.bytesOut : 0,
          backpressuredMs: last ? t.network.backpressuredMs : 0,
          ...(Number.isFinite(m.currentInputWatermark) ? { inputWatermark: m.currentInputWatermark } : {}),
          lateDropped: m.numLateRecordsDropped,
        });
      }
    }
  }

  async #replaceWorker(index: number, host: string): Promise<void> {
    if (this.#stopped) return;
    try {
      this.#slots[index] = await this.#startWorker(index, host);
    } catch (e) {
      this.#log.error({ slot: index, err: (e as Error).message }, 'slot worker could not be restarted');
      return;
    }
    clearInterval(this.#heartbeat);
    this.#registered = false;
    void this.#registerLoop();
  }

  /** Registers with the JobManager, retrying until it answers; then heartbeats. */
  async #registerLoop(): Promise<void> {
    const body: RegisterTaskManager = {
      taskManagerId: this.id,
      controlUrl: this.#controlUrl,
      slots: this.#slots.map((s, index) => ({ index, data: s.data })),
      hardware: { cpuCores: cpus().length, physicalMemory: totalmem(), freeMemory: freemem() },
    };
    let attempt = 0;
    while (!this.#stopped && !this.#registered) {
      try {
        await postJson(`${this.#options.jobManagerUrl}/internal/taskmanagers`, body);
        this.#registered = true;
        this.#log.info({ jobManager: this.#options.jobManagerUrl }, 'Registered at the JobManager');
      } catch (e) {
        if (attempt++ % 10 === 0) {
          this.#log.warn(
            { jobManager: this.#options.jobManagerUrl, err: (e as Error).message },
            'JobManager not reachable yet, retrying',
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(1000, 100 * attempt)));
      }
    }
    if (this.#stopped) return;
    const interval = this.#options.heartbeatIntervalMs ?? 1000;
    this.#heartbeat = setInterval(() => void this.#sendHeartbeat(), interval);
  }

  async #sendHeartbeat(): Promise<void> {
    try {
      await postJson(
        `${this.#options.jobManagerUrl}/internal/taskmanagers/${this.id}/heartbeat`,
        { taskManagerId: this.id },
        2000,
      );
    } catch (e) {
      if (/404/.test((e as Error).message)) {
        // The JobManager forgot us (it restarted, or declared us lost): register again.
        clearInterval(this.#heartbeat);
        this.#registered = false;
        this.#log.warn('JobManager does not know this TaskManager any more; registering again');
        void this.#registerLoop();
      }
    }
  }

  #stateQueue: Promise<void> = Promise.resolve();

  /** Task states are sent one after another, so the JobManager sees them in the order they happened. */
  #sendTaskState(update: TaskStateUpdate): Promise<void> {
    this.#stateQueue = this.#stateQueue.then(async () => {
      for (let attempt = 0; attempt < 5 && !this.#stopped; attempt++) {
        try {
          await postJson(`${this.#options.jobManagerUrl}/internal/task-state`, update);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
        }
      }
    });
    return this.#stateQueue;
  }

  async #handle(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/deploy') {
      const { shares } = await readJson(req, DeployRequest);
      for (const share of shares) {
        this.#log.info(
          {
            jobId: share.jobId,
            attempt: share.attempt,
            slot: share.slotIndex,
            share: share.shareIndex,
            restoreFrom: share.restoreFrom,
          },
          'Deploying share',
        );
        const slot = this.#slots[share.slotIndex];
        if (slot === undefined)
          throw new BadRequestError(`slot ${share.slotIndex} does not exist on ${this.id}`);
        slot.worker.postMessage({ type: 'deploy', share } satisfies ToWorker);
      }
      sendJson(res, 202, { accepted: shares.length });
      return;
    }
    if (req.method === 'POST' && path === '/cancel') {
      const { jobId, attempt } = await readJson(req, CancelRequest);
      for (const s of this.#slots)
        s.worker.postMessage({ type: 'cancel', jobId, attempt } satisfies ToWorker);
      sendJson(res, 202, {});
      return;
    }
    if (req.method === 'POST' && path === '/checkpoint') {
      const t = await readJson(req, CheckpointTrigger);
      for (const s of this.#slots) s.worker.postMessage({ type: 'checkpoint', ...t } satisfies ToWorker);
      sendJson(res, 202, {});
      return;
    }
    if (req.method === 'POST' && path === '/checkpoint-complete') {
      const t = await readJson(req, CheckpointTrigger);
      for (const s of this.#slots) {
        s.worker.postMessage({
          type: 'checkpoint-complete',
          jobId: t.jobId,
          attempt: t.attempt,
          checkpointId: t.checkpointId,
        } satisfies ToWorker);
      }
      sendJson(res, 202, {});
      return;
    }
    if (path === '/metrics') {
      await this.#metricsHandler(req, res);
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      sendJson(res, 200, { status: 'ok', registered: this.#registered });
      return;
    }
    sendJson(res, 404, { errors: [`no route ${req.method} ${path} on the TaskManager`] });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#heartbeat);
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
