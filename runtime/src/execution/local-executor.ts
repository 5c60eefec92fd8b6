// Runs a job inside one process: every subtask on this thread, connected by in-memory channels.
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CheckpointConfig,
  type CheckpointCoordinator,
  type CheckpointStats,
  DEFAULT_CHECKPOINT_CONFIG,
} from '../checkpoint/checkpoint-coordinator.ts';
import { loadCheckpoint } from '../checkpoint/checkpoint-loader.ts';
import type { CheckpointStorage } from '../checkpoint/checkpoint-storage.ts';
import { checkpointStorageFor, displayLocation } from '../checkpoint/checkpoint-storage-for.ts';
import { assignState } from '../checkpoint/state-assignment.ts';
import { type JobGraph, topologicalVertices } from '../graph/job-graph.ts';
import type { OperatorRestore } from '../operators/operator-snapshot.ts';
import type { StateBackendConfig } from '../state/state-backend-config.ts';
import type { ProcessingTimeService } from '../time/processing-time-service.ts';
import type { JobClient, JobExecutionResult, JobStatus } from './job-execution-result.ts';
import { attachCheckpointing, taskKey } from './local-checkpointing.ts';
import { deployTasks } from './task-deployment.ts';
import { TaskScheduler } from './task-scheduler.ts';

export type LocalExecutorOptions = {
  readonly clock: ProcessingTimeService;
  readonly checkpointing?: CheckpointingOptions;
  /** A checkpoint or savepoint directory to restore from. */
  readonly fromCheckpoint?: string;
  readonly allowNonRestoredState?: boolean;
  readonly jobId?: string;
  readonly autoWatermarkInterval: number;
  readonly batchSize?: number;
  readonly channelCapacity?: number;
  readonly sourceBudget?: number;
  readonly stateBackend?: StateBackendConfig;
};

export type CheckpointingOptions = CheckpointConfig & { readonly storage: CheckpointStorage };

export class LocalExecutor implements JobClient {
  readonly jobId: string;
  #coordinator: CheckpointCoordinator | undefined;
  readonly #job: JobGraph;
  readonly #options: LocalExecutorOptions;
  readonly jobName: string;
  readonly result: Promise<JobExecutionResult>;
  readonly #scheduler: TaskScheduler;
  #status: JobStatus = 'CREATED';
  readonly #started = Date.now();

  constructor(job: JobGraph, options: LocalExecutorOptions) {
    this.jobId = options.jobId ?? randomUUID().replaceAll('-', '');
    this.#job = job;
    this.#options = options;
    this.jobName = job.jobName;
    this.#scheduler = new TaskScheduler({
      clock: options.clock,
      onTaskState: (task, state) => {
        if (state === 'finished') this.#coordinator?.taskFinished(taskKey(task));
      },
      ...(options.sourceBudget === undefined ? {} : { sourceBudget: options.sourceBudget }),
    });
    const tasks = deployTasks(job, {
      clock: this.#scheduler.clock,
      autoWatermarkInterval: options.autoWatermarkInterval,
      batchSize: options.batchSize ?? 512,
      channelCapacity: options.channelCapacity ?? 16,
      ...(options.stateBackend === undefined ? {} : { stateBackend: options.stateBackend }),
    });
    this.#scheduler.addTasks(tasks, new Map(topologicalVertices(job).map((v, i) => [v.id, i])));
    this.result = this.#run();
    this.result.catch(() => {});
  }

  status(): JobStatus {
    return this.#status;
  }

  /** Takes a savepoint into `directory` and resolves with its path; the job keeps running. */
  async triggerSavepoint(directory: string): Promise<string> {
    return this.#savepoint(directory, false);
  }

  /** Takes a savepoint, commits its output, then stops the job (stop-with-savepoint). */
  async stopWithSavepoint(directory: string): Promise<string> {
    const path = await this.#savepoint(directory, true);
    await this.cancel();
    return path;
  }

  async #savepoint(directory: string, stop: boolean): Promise<string> {
    while (this.#coordinator === undefined && this.#status !== 'FAILED')
      await new Promise((r) => setTimeout(r, 10));
    if (this.#coordinator === undefined) throw new Error(`job ${this.jobId} is ${this.#status}`);
    const uri = await this.#coordinator.triggerSavepoint(checkpointStorageFor(directory), {
      notify: stop,
      waitMs: 60_000,
    });
    return displayLocation(uri);
  }

  /** Checkpoint counters and the last completed checkpoint (undefined without checkpointing). */
  checkpointStats(): CheckpointStats | undefined {
    return this.#coordinator?.stats;
  }

  async #restore(): Promise<
    { assignment: Map<string, OperatorRestore[]>; checkpointId: number } | undefined
  > {
    const from = this.#options.fromCheckpoint;
    if (from === undefined) return undefined;
    const checkpoint = await loadCheckpoint(checkpointStorageFor(from), '.');
    const operators = this.#job.vertices.flatMap((v) =>
      v.chain.map((n) => ({
        uid: n.uid,
        name: n.name,
        parallelism: v.parallelism,
        maxParallelism: v.maxParallelism,
        assignListState: n.source?.assignSplits?.bind(n.source),
      })),
    );
    return {
      assignment: assignState(checkpoint, operators, this.#options.allowNonRestoredState ?? false),
      checkpointId: checkpoint.metadata.checkpointId,
    };
  }

  async cancel(): Promise<void> {
    this.#scheduler.cancel();
    await this.result.catch(() => {});
  }

  async #run(): Promise<JobExecutionResult> {
    await Promise.resolve(); // let the caller attach handlers before work starts
    const scheduler = this.#scheduler;
    try {
      const restored = await this.#restore();
      await scheduler.open(restored?.assignment);
      this.#status = 'RUNNING';
      // A coordinator always exists (savepoints); periodic checkpoints only when configured.
      const cp = this.#options.checkpointing;
      {
        const config = cp ?? { ...DEFAULT_CHECKPOINT_CONFIG, intervalMs: Number.POSITIVE_INFINITY };
        this.#coordinator = attachCheckpointing({
          tasks: scheduler.tasks,
          config,
          storage: cp?.storage ?? checkpointStorageFor(join(tmpdir(), 'riffle-checkpoints')),
          clock: scheduler.clock,
          jobId: this.jobId,
          firstCheckpointId: (restored?.checkpointId ?? 0) + 1,
          fail: (e) => scheduler.fail(e),
          log: (m) => process.env.RIFFLE_LOG_LEVEL === 'debug' && process.stderr.write(`${m}\n`),
        });
        if (cp !== undefined) this.#coordinator.start();
      }
      await scheduler.run();
      this.#coordinator?.stop();
      this.#status = scheduler.cancelRequested ? 'CANCELED' : 'FINISHED';
      await scheduler.close(scheduler.cancelRequested);
    } catch (e) {
      this.#coordinator?.stop();
      this.#status = 'FAILED';
      await scheduler.close(true).catch(() => {});
      throw e;
    }
    return {
      jobId: this.jobId,
      jobName: this.jobName,
      status: this.#status,
      netRuntimeMs: Date.now() - this.#started,
      metrics: this.#metrics(),
    };
  }

  #metrics(): JobExecutionResult['metrics'] {
    type Counters = {
      name: string;
      numRecordsIn: number;
      numRecordsOut: number;
      numLateRecordsDropped: number;
      numRecordsFailed: number;
    };
    const out: Record<string, Counters> = {};
    for (const task of this.#scheduler.tasks) {
      for (const m of task.chain) {
        const c = (out[m.node.uid] ??= {
          name: m.node.name,
          numRecordsIn: 0,
          numRecordsOut: 0,
          numLateRecordsDropped: 0,
          numRecordsFailed: 0,
        });
        c.numRecordsIn += m.metrics.numRecordsIn;
        c.numRecordsOut += m.metrics.numRecordsOut;
        c.numLateRecordsDropped += m.metrics.numLateRecordsDropped;
        c.numRecordsFailed += m.metrics.numRecordsFailed;
      }
    }
    return out;
  }
}
