// The checkpoint coordinator (Flink's CheckpointCoordinator, in small): triggers periodic checkpoints at the
// sources (one at a time, with a minimum pause), collects every task's acknowledgement with its state,
// writes the state files and then the _metadata file (the commit point), keeps the last N, and notifies the
// tasks so two-phase sinks commit. A checkpoint that does not complete within the timeout is aborted.
import type { ProcessingTimeService, ScheduledCallback } from '../time/processing-time-service.ts';
import type { CheckpointingMode } from './barrier-aligner.ts';
import { type CheckpointMetadata, checkpointDir, METADATA } from './checkpoint-metadata.ts';
import type { CheckpointStorage } from './checkpoint-storage.ts';
import { encodeState } from './state-encoding.ts';
import type { TaskSnapshot } from './task-snapshot.ts';

export type CheckpointConfig = {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly minPauseMs: number;
  readonly retained: number;
  readonly mode: CheckpointingMode;
  readonly tolerableFailures: number;
};

export const DEFAULT_CHECKPOINT_CONFIG: Omit<CheckpointConfig, 'intervalMs'> = {
  timeoutMs: 600_000,
  minPauseMs: 0,
  retained: 1,
  mode: 'exactly-once',
  tolerableFailures: 0,
};

export type CheckpointStats = {
  completed: number;
  failed: number;
  lastCompleted:
    | { id: number; path: string; timestamp: number; durationMs: number; sizeBytes: number }
    | undefined;
  lastFailure: { id: number; reason: string; timestamp: number } | undefined;
};

type Pending = {
  readonly id: number;
  readonly triggeredAt: number;
  readonly acks: Map<string, TaskSnapshot>;
  readonly timeout: ScheduledCallback;
};

export type CoordinatorHooks = {
  /** Whether every task runs, so a checkpoint can be taken now; if not, the round is skipped (no failure). */
  canTrigger(): boolean;
  /** Sends the trigger to the source tasks. */
  triggerSources(checkpointId: number, timestamp: number): void;
  /** Tells every task that the checkpoint completed (the commit point of two-phase sinks). */
  notifyComplete(checkpointId: number): Promise<void>;
  /** Too many consecutive failures: the job must fail over. */
  onFailure(reason: string): void;
  log(message: string): void;
};

export class CheckpointCoordinator {
  readonly #config: CheckpointConfig;
  readonly #clock: ProcessingTimeService;
  readonly #storage: CheckpointStorage;
  readonly #jobId: string;
  readonly #expectedTasks: Set<string>;
  readonly #hooks: CoordinatorHooks;
  readonly stats: CheckpointStats = {
    completed: 0,
    failed: 0,
    lastCompleted: undefined,
    lastFailure: undefined,
  };
  #nextId: number;
  #pending: Pending | undefined;
  #lastCompletedAt = Number.NEGATIVE_INFINITY;
  #timer: ScheduledCallback | undefined;
  #consecutiveFailures = 0;
  #stopped = false;
  #retained: number[] = [];

  constructor(options: {
    config: CheckpointConfig;
    clock: ProcessingTimeService;
    storage: CheckpointStorage;
    jobId: string;
    expectedTasks: readonly string[];
    hooks: CoordinatorHooks;
    /** Checkpoint ids continue after a restored one. */
    firstCheckpointId?: number;
  }) {
    this.#config = options.config;
    this.#clock = options.clock;
    this.#storage = options.storage;
    this.#jobId = options.jobId;
    this.#expectedTasks = new Set(options.expectedTasks);
    this.#hooks = options.hooks;
    this.#nextId = options.firstCheckpointId ?? 1;
  }

  start(): void {
    this.#schedule(this.#clock.now() + this.#config.intervalMs);
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#pending?.timeout.cancel();
    this.#pending = undefined;
  }

  #schedule(at: number): void {
    if (this.#stopped) return;
    this.#timer = this.#clock.schedule(at, () => this.#onTimer());
  }

  #onTimer(): void {
    const now = this.#clock.now();
    const earliest = this.#lastCompletedAt + this.#config.minPauseMs;
    if (this.#pending !== undefined || now < earliest) {
      this.#schedule(Math.max(earliest, now + Math.min(this.#config.intervalMs, 100)));
      return;
    }
    this.triggerCheckpoint();
    this.#schedule(now + this.#config.intervalMs);
  }

  /** Starts a checkpoint now if none is in progress; returns its id. */
  triggerCheckpoint(): number | undefined {
    if (this.#pending !== undefined || this.#stopped || !this.#hooks.canTrigger()) return undefined;
    const id = this.#nextId++;
    const now = this.#clock.now();
    const timeout = this.#clock.schedule(now + this.#config.timeoutMs, () =>
      this.#abort(id, `timed out after ${this.#config.timeoutMs} ms`),
    );
    this.#pending = { id, triggeredAt: now, acks: new Map(), timeout };
    this.#hooks.triggerSources(id, now);
    return id;
  }

  get latestCompletedId(): number | undefined {
    return this.stats.lastCompleted?.id;
  }

  /** A task's snapshot for checkpoint `id` (its async part completed). */
  acknowledge(taskKey: string, checkpointId: number, snapshot: TaskSnapshot): void {
    const p = this.#pending;
    if (p === undefined || p.id !== checkpointId || !this.#expectedTasks.has(taskKey)) return;
    p.acks.set(taskKey, snapshot);
    if (p.acks.size === this.#expectedTasks.size) void this.#complete(p);
  }

  decline(checkpointId: number, reason: string): void {
    this.#abort(checkpointId, reason);
  }

  async #complete(p: Pending): Promise<void> {
    const dir = checkpointDir(this.#jobId, p.id);
    const operators: CheckpointMetadata['operators'] = {};
    let size = 0;
    try {
      for (const snap of p.acks.values()) {
        for (const op of snap.operators) {
          const file = `${op.uid}/${op.subtask}`;
          const bytes = encodeState(op);
          size += bytes.length;
          await this.#storage.write(`${dir}/${file}`, bytes);
          const entry = (operators[op.uid] ??= {
            parallelism: op.parallelism,
            maxParallelism: op.maxParallelism,
            subtasks: [],
          });
          entry.subtasks.push(file);
        }
      }
      const metadata: CheckpointMetadata = {
        version: 1,
        jobId: this.#jobId,
        checkpointId: p.id,
        timestamp: p.triggeredAt,
        savepoint: false,
        operators,
      };
      // The metadata file is written last: only now does the checkpoint exist.
      await this.#storage.write(`${dir}/${METADATA}`, Buffer.from(JSON.stringify(metadata, null, 2)));
    } catch (e) {
      this.#abort(p.id, `writing checkpoint ${p.id} failed: ${(e as Error).message}`);
      return;
    }
    if (this.#pending !== p) return;
    p.timeout.cancel();
    this.#pending = undefined;
    const now = this.#clock.now();
    this.#lastCompletedAt = now;
    this.#consecutiveFailures = 0;
    this.stats.completed++;
    this.stats.lastCompleted = {
      id: p.id,
      path: `${this.#storage.uri}/${dir}`,
      timestamp: p.triggeredAt,
      durationMs: now - p.triggeredAt,
      sizeBytes: size,
    };
    this.#hooks.log(`checkpoint ${p.id} completed in ${now - p.triggeredAt} ms (${size} bytes)`);
    this.#retained.push(p.id);
    while (this.#retained.length > this.#config.retained) {
      const old = this.#retained.shift()!;
      await this.#storage.remove(checkpointDir(this.#jobId, old)).catch(() => {});
    }
    await this.#hooks.notifyComplete(p.id);
  }

  #abort(checkpointId: number, reason: string): void {
    const p = this.#pending;
    if (p === undefined || p.id !== checkpointId) return;
    p.timeout.cancel();
    this.#pending = undefined;
    this.stats.failed++;
    this.stats.lastFailure = { id: checkpointId, reason, timestamp: this.#clock.now() };
    this.#consecutiveFailures++;
    this.#hooks.log(`checkpoint ${checkpointId} failed: ${reason}`);
    if (this.#consecutiveFailures > this.#config.tolerableFailures) {
      this.#hooks.onFailure(
        `${this.#consecutiveFailures} consecutive checkpoint failures (tolerable: ${this.#config.tolerableFailures}); last: ${reason}`,
      );
    }
  }
}
