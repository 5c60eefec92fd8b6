// The JobManager: accepts jobs (at start in application mode, or over REST), schedules their subtasks onto
// TaskManager slots once enough exist, tracks task states, heartbeats TaskManagers and detects their loss,
// and restarts failed jobs under the exponential-delay restart strategy.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckpointSettings } from '../api/execution-environment.ts';
import { CheckpointCoordinator, DEFAULT_CHECKPOINT_CONFIG } from '../checkpoint/checkpoint-coordinator.ts';
import { findLatestCheckpoint } from '../checkpoint/checkpoint-loader.ts';
import { METADATA, parseMetadata } from '../checkpoint/checkpoint-metadata.ts';
import { checkpointStorageFor, displayLocation } from '../checkpoint/checkpoint-storage-for.ts';
import { readHaMetadata, writeHaMetadata } from '../checkpoint/ha-metadata.ts';
import { decodeState } from '../checkpoint/state-encoding.ts';
import type { TaskSnapshot } from '../checkpoint/task-snapshot.ts';
import type { JobManagerMetrics } from '../metrics/index.ts';
import { SystemProcessingTimeService } from '../time/processing-time-service.ts';
import { loadJob, requiredSlots } from './job-loader.ts';
import {
  type ExceptionEntry,
  isTerminal,
  type JobRecord,
  type JobState,
  type TaskExecutionState,
} from './job-record.ts';
import type { JobSubmission } from './job-submission.ts';
import { BadRequestError, postJson, readJson, sendError, sendJson } from './json-http.ts';
import { createLogger, type Logger } from './logger.ts';
import {
  DEFAULT_EXPONENTIAL_DELAY,
  type ExponentialDelayConfig,
  INITIAL_RESTART_STATE,
  onFailure,
} from './restart-strategy.ts';
import {
  CheckpointAck,
  type DeployShare,
  Heartbeat,
  RegisterTaskManager,
  TaskStateUpdate,
} from './rpc-messages.ts';
import { planSlots, type SlotRef } from './slot-plan.ts';

export type JobManagerOptions = {
  readonly host?: string;
  readonly port?: number;
  readonly heartbeatTimeoutMs?: number;
  readonly restartStrategy?: ExponentialDelayConfig;
  /** Builds the handler of every request outside /internal (the public REST API). */
  readonly restHandler?: (jm: JobManager) => (req: IncomingMessage, res: ServerResponse) => void;
  readonly now?: () => number;
};

/** How long a suspected TaskManager has to answer a liveness probe after a failed attempt. */
const PROBE_TIMEOUT_MS = 500;

const STATE_RANK: Record<TaskExecutionState, number> = {
  created: 0,
  deploying: 1,
  running: 2,
  finished: 3,
  failed: 3,
  canceled: 3,
};

export type TaskManagerRecord = RegisterTaskManager & { lastHeartbeat: number; registeredAt: number };

export class JobManager {
  readonly #options: JobManagerOptions;
  readonly #log: Logger = createLogger('jobmanager');
  readonly taskManagers = new Map<string, TaskManagerRecord>();
  readonly jobs = new Map<string, JobRecord>();
  readonly #now: () => number;
  #server: Server | undefined;
  #monitor: NodeJS.Timeout | undefined;
  url = '';
  /** Prometheus metrics, when the process exports them. */
  metrics: JobManagerMetrics | undefined;

  constructor(options: JobManagerOptions = {}) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get heartbeatTimeoutMs(): number {
    return this.#options.heartbeatTimeoutMs ?? 10_000;
  }

  async start(): Promise<void> {
    const host = this.#options.host ?? '127.0.0.1';
    const rest = this.#options.restHandler?.(this);
    this.#server = createServer((req, res) => {
      if ((req.url ?? '').startsWith('/internal/')) {
        this.#handleInternal(req, res).catch((e) => sendError(res, e));
      } else if (rest !== undefined) {
        rest(req, res);
      } else {
        sendJson(res, 404, { errors: [`no route ${req.method} ${req.url}`] });
      }
    });
    await new Promise<void>((resolve, reject) => {
      this.#server!.once('error', reject);
      this.#server!.listen(this.#options.port ?? 8081, host, resolve);
    });
    const addr = this.#server.address() as { port: number };
    this.url = `http://${host}:${addr.port}`;
    this.#monitor = setInterval(
      () => this.#checkHeartbeats(),
      Math.max(100, Math.floor(this.heartbeatTimeoutMs / 4)),
    );
    this.#log.info({ url: this.url }, 'JobManager started');
  }

  async stop(): Promise<void> {
    clearInterval(this.#monitor);
    for (const job of this.jobs.values()) clearTimeout(job.restartTimer);
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Accepts a job: builds its graph (validating it) and schedules it as soon as slots allow. */
  async submit(
    submission: JobSubmission,
    jobId: string = randomUUID().replaceAll('-', ''),
  ): Promise<JobRecord> {
    const { env, graph } = await loadJob(submission);
    const now = this.#now();
    const job: JobRecord = {
      id: jobId,
      name: graph.jobName,
      submission,
      graph,
      state: 'CREATED',
      timestamps: { CREATED: now },
      startTime: now,
      endTime: undefined,
      execution: undefined,
      // Unique across JobManager restarts, so channels of an older JobManager's attempt never mix with ours.
      nextAttempt: Math.floor(this.#now() / 1000) * 1000,
      restart: INITIAL_RESTART_STATE,
      exceptions: [],
      restartTimer: undefined,
      waitingReason: undefined,
      checkpointing: env.config.checkpointing,
      coordinator: undefined,
      lastCompletedCheckpoint: undefined,
      restoredFrom: undefined,
    };
    const cp = job.checkpointing;
    if (cp !== undefined) {
      const ha = await readHaMetadata(checkpointStorageFor(cp.storage), jobId);
      if (ha !== undefined) {
        job.lastCompletedCheckpoint = ha.latestCheckpoint;
        this.#log.info(
          { jobId, checkpoint: ha.latestCheckpoint },
          'Found HA metadata: the job resumes from its latest checkpoint',
        );
      }
    }
    this.jobs.set(jobId, job);
    this.#log.info({ jobId, name: job.name, slots: requiredSlots(graph) }, 'Job submitted');
    this.#tryDeploy(job);
    return job;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (job === undefined) return false;
    if (isTerminal(job.state)) return true;
    clearTimeout(job.restartTimer);
    this.#setState(job, 'CANCELLING');
    this.#cancelExecution(job);
    this.#setState(job, 'CANCELED');
    job.endTime = this.#now();
    return true;
  }

  #setState(job: JobRecord, state: JobState): void {
    if (job.state === state) return;
    job.state = state;
    job.timestamps[state] = this.#now();
    this.#log.info({ jobId: job.id, state }, 'Job changed state');
  }

  freeSlots(): SlotRef[] {
    const used = new Set<string>();
    for (const job of this.jobs.values()) {
      if (job.execution === undefined) continue;
      for (const s of job.execution.shares) used.add(`${s.taskManagerId}/${s.slotIndex}`);
    }
    const free: SlotRef[] = [];
    for (const tm of this.taskManagers.values()) {
      for (const slot of tm.slots) {
        if (!used.has(`${tm.taskManagerId}/${slot.index}`))
          free.push({ taskManagerId: tm.taskManagerId, slotIndex: slot.index });
      }
    }
    return free;
  }

  #tryDeploy(job: JobRecord): void {
    if (job.execution !== undefined || isTerminal(job.state) || job.state === 'CANCELLING') return;
    if (job.restartTimer !== undefined) return;
    const plan = planSlots(requiredSlots(job.graph), this.freeSlots());
    if (!plan.ok) {
      if (job.waitingReason !== plan.message)
        this.#log.info({ jobId: job.id }, `Job waits for slots: ${plan.message}`);
      job.waitingReason = plan.message;
      return;
    }
    job.waitingReason = undefined;
    const attempt = job.nextAttempt++;
    const peers = plan.shares.map((s) => {
      const tm = this.taskManagers.get(s.taskManagerId)!;
      return tm.slots.find((x) => x.index === s.slotIndex)!.data;
    });
    const tasks = new Map<string, TaskExecutionState>();
    for (const v of job.graph.vertices)
      for (let i = 0; i < v.parallelism; i++) tasks.set(`${v.id}/${i}`, 'deploying');
    job.execution = { attempt, shares: plan.shares, peers, tasks, startTime: this.#now() };
    this.#setState(job, 'RUNNING');
    this.#deploy(job, attempt).catch((e: Error) => this.#failExecution(job, attempt, e, undefined));
  }

  /** Finds the checkpoint to restore (never silently none), sends the shares, starts checkpointing. */
  async #deploy(job: JobRecord, attempt: number): Promise<void> {
    const execution = job.execution!;
    let restoreFrom: string | undefined;
    const cp = job.checkpointing;
    if (cp !== undefined) {
      const storage = checkpointStorageFor(cp.storage);
      const latest = await findLatestCheckpoint(storage, job.id, (w) => this.#log.warn({ jobId: job.id }, w));
      if (latest === undefined && job.lastCompletedCheckpoint !== undefined) {
        throw new Error(
          `checkpoint ${job.lastCompletedCheckpoint} of job ${job.id} completed, but no checkpoint can be loaded from ` +
            `${storage.uri}/${job.id}; refusing to restart from empty state`,
        );
      }
      if (latest !== undefined) {
        restoreFrom = displayLocation(`${storage.uri}/${job.id}/chk-${latest.metadata.checkpointId}`);
        job.restoredFrom = { id: latest.metadata.checkpointId, path: restoreFrom, at: this.#now() };
        job.lastCompletedCheckpoint = Math.max(
          job.lastCompletedCheckpoint ?? 0,
          latest.metadata.checkpointId,
        );
        this.#log.info(
          { jobId: job.id, checkpoint: latest.metadata.checkpointId },
          'Restoring job from checkpoint',
        );
      }
    }
    if (restoreFrom === undefined && job.submission.savepointPath !== undefined) {
      restoreFrom = displayLocation(job.submission.savepointPath);
      // Checkpoint ids go on from the savepoint's (as in Flink): ids then only grow over the life of the
      // job's state, which transactional sinks rely on to tell their old transactions from new ones.
      const savepointId = parseMetadata(
        await checkpointStorageFor(job.submission.savepointPath).read(`./${METADATA}`),
        `${restoreFrom}/${METADATA}`,
      ).checkpointId;
      job.restoredFrom = { id: savepointId, path: restoreFrom, at: this.#now() };
      this.#log.info({ jobId: job.id, savepoint: restoreFrom }, 'Starting job from savepoint');
    }
    if (job.execution !== execution) return;
    const byTm = new Map<string, DeployShare[]>();
    execution.shares.forEach((slot, shareIndex) => {
      const list = byTm.get(slot.taskManagerId) ?? [];
      list.push({
        jobId: job.id,
        attempt,
        submission: job.submission,
        slotIndex: slot.slotIndex,
        shareIndex,
        peers: [...execution.peers],
        ...(restoreFrom === undefined ? {} : { restoreFrom }),
      });
      byTm.set(slot.taskManagerId, list);
    });
    this.#log.info({ jobId: job.id, attempt, shares: execution.shares.length }, 'Deploying job');
    for (const [tmId, shares] of byTm) {
      const tm = this.taskManagers.get(tmId)!;
      postJson(`${tm.controlUrl}/deploy`, { shares }).catch((e: Error) => {
        // A TaskManager that cannot even be reached is gone: forget it now rather than at the heartbeat
        // timeout, so the restart does not pick its slots again.
        if (/fetch failed|ECONNREFUSED/.test(`${e.message} ${String(e.cause ?? '')}`))
          this.#loseTaskManager(tmId, `unreachable (${e.message})`);
        this.#failExecution(
          job,
          attempt,
          new Error(`deploying to TaskManager ${tmId} failed: ${e.message}`),
          undefined,
        );
      });
    }
    this.#startCheckpointing(job, attempt, cp);
  }

  /** Every execution gets a coordinator (for savepoints); periodic checkpoints only when configured. */
  #startCheckpointing(job: JobRecord, attempt: number, cp: CheckpointSettings | undefined): void {
    const execution = job.execution!;
    const tmUrls = () =>
      [...new Set(execution.shares.map((s) => s.taskManagerId))]
        .map((id) => this.taskManagers.get(id)?.controlUrl)
        .filter((u): u is string => u !== undefined);
    const config = cp ?? { ...DEFAULT_CHECKPOINT_CONFIG, intervalMs: Number.POSITIVE_INFINITY, storage: '' };
    const coordinator = new CheckpointCoordinator({
      config,
      clock: new SystemProcessingTimeService(),
      storage: checkpointStorageFor(
        config.storage === '' ? join(tmpdir(), 'riffle-checkpoints') : config.storage,
      ),
      jobId: job.id,
      expectedTasks: [...execution.tasks.keys()],
      // after the job's own latest checkpoint, or after the savepoint it started from
      firstCheckpointId: Math.max(job.lastCompletedCheckpoint ?? 0, job.restoredFrom?.id ?? 0) + 1,
      hooks: {
        // Finished tasks count as acknowledged with empty state (checkpoints after tasks finish).
        canTrigger: () => {
          const states = [...execution.tasks.values()];
          return (
            job.execution === execution &&
            states.every((s) => s === 'running' || s === 'finished') &&
            states.some((s) => s === 'running')
          );
        },
        triggerSources: (checkpointId, timestamp) => {
          for (const url of tmUrls()) {
            postJson(`${url}/checkpoint`, { jobId: job.id, attempt, checkpointId, timestamp }).catch(
              (e: Error) => coordinator.decline(checkpointId, `trigger not delivered: ${e.message}`),
            );
          }
        },
        notifyComplete: async (checkpointId) => {
          job.lastCompletedCheckpoint = Math.max(job.lastCompletedCheckpoint ?? 0, checkpointId);
          if (cp !== undefined) {
            await writeHaMetadata(checkpointStorageFor(cp.storage), {
              jobId: job.id,
              latestCheckpoint: job.lastCompletedCheckpoint,
              updatedAt: this.#now(),
            }).catch((e: Error) =>
              this.#log.warn({ jobId: job.id, err: e.message }, 'HA metadata not written'),
            );
          }
          const body = { jobId: job.id, attempt, checkpointId, timestamp: this.#now() };
          await Promise.all(
            tmUrls().map((url) => postJson(`${url}/checkpoint-complete`, body).catch(() => {})),
          );
        },
        onFailure: (reason) => this.#failExecution(job, attempt, new Error(reason), undefined),
        log: (m) => this.#log.info({ jobId: job.id }, m),
      },
    });
    job.coordinator?.stop();
    job.coordinator = coordinator;
    // Tasks may have finished before the coordinator existed (a restored source with no split left).
    for (const [key, state] of execution.tasks) if (state === 'finished') coordinator.taskFinished(key);
    if (cp !== undefined) coordinator.start();
  }

  /**
   * Takes a savepoint of a running job into `targetDirectory`. With `stop`, the savepoint's output is
   * committed and the job then finishes (stop-with-savepoint).
   */
  async savepoint(jobId: string, targetDirectory: string, stop: boolean): Promise<string> {
    const job = this.jobs.get(jobId);
    if (job === undefined) throw new Error(`job ${jobId} not found`);
    const coordinator = job.coordinator;
    if (job.state !== 'RUNNING' || coordinator === undefined) {
      throw new Error(`job ${jobId} is ${job.state}; savepoints are taken of running jobs`);
    }
    const target = displayLocation(targetDirectory);
    const path = await coordinator.triggerSavepoint(checkpointStorageFor(target), {
      notify: stop,
      waitMs: 60_000,
    });
    this.#log.info({ jobId, path, stop }, 'Savepoint completed');
    if (stop && !isTerminal(job.state)) {
      clearTimeout(job.restartTimer);
      this.#cancelExecution(job);
      this.#setState(job, 'FINISHED');
      job.endTime = this.#now();
      this.#deployWaiting();
    }
    return displayLocation(path);
  }

  #cancelExecution(job: JobRecord): void {
    job.coordinator?.stop();
    const execution = job.execution;
    if (execution === undefined) return;
    job.execution = undefined;
    for (const tmId of new Set(execution.shares.map((s) => s.taskManagerId))) {
      const tm = this.taskManagers.get(tmId);
      if (tm === undefined) continue;
      postJson(`${tm.controlUrl}/cancel`, { jobId: job.id, attempt: execution.attempt }).catch(() => {});
    }
  }

  #failExecution(job: JobRecord, attempt: number, error: Error, taskName: string | undefined): void {
    if (job.execution?.attempt !== attempt || isTerminal(job.state)) return;
    const entry: ExceptionEntry = {
      exceptionName: error.name,
      message: error.message,
      stacktrace: error.stack ?? `${error.name}: ${error.message}`,
      timestamp: this.#now(),
      taskName,
    };
    job.exceptions.unshift(entry);
    if (job.exceptions.length > 100) job.exceptions.length = 100;
    this.#log.warn({ jobId: job.id, attempt, task: taskName, err: error.message }, 'Job execution failed');
    this.#setState(job, 'FAILING');
    const suspects = new Set(job.execution.shares.map((s) => s.taskManagerId));
    this.#cancelExecution(job);
    // A failed attempt often means a TaskManager died (its peers saw their data connections drop). Probe the
    // attempt's TaskManagers during the restart backoff, so the restart does not pick a dead one's slots and
    // recovery does not wait for the heartbeat timeout.
    for (const tmId of suspects) this.#probeTaskManager(tmId);
    const decision = onFailure(
      this.#options.restartStrategy ?? DEFAULT_EXPONENTIAL_DELAY,
      job.restart,
      this.#now(),
      Math.random(),
    );
    job.restart = decision.state;
    if (!decision.restart) {
      job.exceptions.unshift({
        ...entry,
        exceptionName: 'JobFailed',
        message: decision.reason,
        stacktrace: decision.reason,
      });
      this.#setState(job, 'FAILED');
      job.endTime = this.#now();
      return;
    }
    this.metrics?.jobRestarted(job.id);
    this.#setState(job, 'RESTARTING');
    this.#log.info({ jobId: job.id, delayMs: decision.delayMs }, 'Restarting job after backoff');
    job.restartTimer = setTimeout(() => {
      job.restartTimer = undefined;
      this.#tryDeploy(job);
    }, decision.delayMs);
  }

  #onTaskState(update: TaskStateUpdate): void {
    const job = this.jobs.get(update.jobId);
    const execution = job?.execution;
    if (job === undefined || execution === undefined || execution.attempt !== update.attempt) return;
    const key = `${update.vertexId}/${update.subtask}`;
    const vertex = job.graph.vertices[update.vertexId];
    const taskName =
      vertex === undefined ? undefined : `${vertex.name} (${update.subtask + 1}/${vertex.parallelism})`;
    if (update.state === 'failed') {
      const e = new Error(update.error?.message ?? 'task failed');
      e.name = update.error?.name ?? 'Error';
      if (update.error?.stack !== undefined) e.stack = update.error.stack;
      this.#failExecution(job, update.attempt, e, taskName);
      return;
    }
    // A state never goes back (updates may be retried): created < deploying < running < terminal.
    const current = execution.tasks.get(key);
    if (current !== undefined && STATE_RANK[update.state] > STATE_RANK[current])
      execution.tasks.set(key, update.state);
    if (update.state === 'finished') job.coordinator?.taskFinished(key);
    if ([...execution.tasks.values()].every((s) => s === 'finished')) {
      job.coordinator?.stop();
      job.execution = undefined;
      this.#setState(job, 'FINISHED');
      job.endTime = this.#now();
      this.#deployWaiting();
    }
  }

  #deployWaiting(): void {
    for (const job of this.jobs.values()) this.#tryDeploy(job);
  }

  #checkHeartbeats(): void {
    const now = this.#now();
    for (const tm of [...this.taskManagers.values()]) {
      if (now - tm.lastHeartbeat <= this.heartbeatTimeoutMs) continue;
      this.metrics?.heartbeatTimedOut();
      this.#loseTaskManager(
        tm.taskManagerId,
        `no heartbeat for ${now - tm.lastHeartbeat} ms (timeout ${this.heartbeatTimeoutMs} ms)`,
      );
    }
  }

  /** Drops TaskManager `tmId` if its control endpoint does not answer within a short timeout. */
  #probeTaskManager(tmId: string): void {
    const tm = this.taskManagers.get(tmId);
    if (tm === undefined) return;
    fetch(`${tm.controlUrl}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
      .then((res) => res.body?.cancel())
      .catch((e: Error) => {
        if (this.taskManagers.get(tmId) === tm) this.#loseTaskManager(tmId, `unreachable (${e.message})`);
      });
  }

  /** Removes a TaskManager and fails over every job that has shares on it. */
  #loseTaskManager(taskManagerId: string, why: string): void {
    const tm = this.taskManagers.get(taskManagerId);
    if (tm === undefined) return;
    this.taskManagers.delete(taskManagerId);
    const reason = `TaskManager ${taskManagerId} (${tm.controlUrl}) lost: ${why}`;
    this.#log.warn({ taskManagerId }, reason);
    this.#failJobsOn(taskManagerId, reason);
  }

  /** Fails over every job with shares on TaskManager `taskManagerId`. */
  #failJobsOn(taskManagerId: string, reason: string): void {
    for (const job of this.jobs.values()) {
      const ex = job.execution;
      if (ex?.shares.some((s) => s.taskManagerId === taskManagerId)) {
        const e = new Error(reason);
        e.name = 'TaskManagerLostException';
        this.#failExecution(job, ex.attempt, e, undefined);
      }
    }
  }

  async #handleInternal(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method !== 'POST')
      throw new BadRequestError(`${req.method} ${path}: internal endpoints take POST`, 405);
    if (path === '/internal/taskmanagers') {
      const reg = await readJson(req, RegisterTaskManager);
      const now = this.#now();
      const previous = this.taskManagers.get(reg.taskManagerId);
      this.taskManagers.set(reg.taskManagerId, {
        ...reg,
        lastHeartbeat: now,
        registeredAt: previous?.registeredAt ?? now,
      });
      this.#log.info({ taskManagerId: reg.taskManagerId, slots: reg.slots.length }, 'TaskManager registered');
      sendJson(res, 200, { registered: true });
      if (previous !== undefined && JSON.stringify(previous.slots) !== JSON.stringify(reg.slots)) {
        // Same TaskManager, new slot workers (one crashed and was replaced): what ran there is gone.
        this.#failJobsOn(reg.taskManagerId, `TaskManager ${reg.taskManagerId} replaced its slot workers`);
      }
      this.#deployWaiting();
      return;
    }
    const hb = /^\/internal\/taskmanagers\/([^/]+)\/heartbeat$/.exec(path);
    if (hb !== null) {
      await readJson(req, Heartbeat);
      const tm = this.taskManagers.get(decodeURIComponent(hb[1]!));
      if (tm === undefined)
        throw new BadRequestError(`TaskManager ${hb[1]} is not registered; register again`, 404);
      tm.lastHeartbeat = this.#now();
      this.metrics?.heartbeatReceived();
      sendJson(res, 200, {});
      return;
    }
    if (path === '/internal/checkpoint-ack') {
      const ack = await readJson(req, CheckpointAck);
      const job = this.jobs.get(ack.jobId);
      if (job?.execution?.attempt === ack.attempt && job.coordinator !== undefined) {
        if (ack.snapshot !== undefined) {
          const snapshot = decodeState<TaskSnapshot>(Buffer.from(ack.snapshot, 'base64'));
          job.coordinator.acknowledge(`${ack.vertexId}/${ack.subtask}`, ack.checkpointId, snapshot);
        } else {
          job.coordinator.decline(ack.checkpointId, ack.declineReason ?? 'declined');
        }
      }
      sendJson(res, 200, {});
      return;
    }
    if (path === '/internal/task-state') {
      this.#onTaskState(await readJson(req, TaskStateUpdate));
      sendJson(res, 200, {});
      return;
    }
    throw new BadRequestError(`no internal route ${path}`, 404);
  }
}
