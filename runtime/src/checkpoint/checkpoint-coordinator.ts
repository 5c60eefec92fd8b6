// The checkpoint coordinator (Flink's CheckpointCoordinator, in small): triggers periodic checkpoints at the
// sources (one at a time, with a minimum pause), collects every task's acknowledgement with its state,
// writes the state files and then the _metadata file (the commit point), keeps the last N, and notifies the
// tasks so two-phase sinks commit. A checkpoint that does not complete within the timeout is aborted.
import type { ProcessingTimeService, ScheduledCallback } from '../time/processing-time-service.ts';
import type { CheckpointingMode } from './barrier-aligner.ts';
import { type CheckpointMetadata, checkpointDir, METADATA } from './checkpoint-metadata.ts';
import type { CheckpointStorage } from './checkpoint-storage.ts';
import { materializeIncrementalState, subtaskStatePath } from './incremental-state.ts';
import { encodeState } from './state-encoding.ts';
import type { OperatorSubtaskState, TaskSnapshot } from './task-snapshot.ts';

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
  lastSavepoint: { id: number; path: string; timestamp: number } | undefined;
};

type SavepointRequest = {
  readonly storage: CheckpointStorage;
  readonly dir: string;
  /** Stop-with-savepoint commits side effects; an intermediate savepoint does not (as in Flink). */
  readonly notify: boolean;
  readonly resolve: (path: string) => void;
  readonly reject: (e: Error) => void;
};

type Pending = {
  readonly id: number;
  readonly triggeredAt: number;
  readonly acks: Map<string, TaskSnapshot>;
  readonly timeout: ScheduledCallback;
  readonly savepoint: SavepointRequest | undefined;
  /** Every task acknowledged and the checkpoint is being written: later acknowledgements change nothing. */
  completing?: boolean;
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
    lastSavepoint: undefined,
  };
  #nextId: number;
  #pending: Pending | undefined;
  #lastCompletedAt = Number.NEGATIVE_INFINITY;
  #timer: ScheduledCallback | undefined;
  #consecutiveFailures = 0;
  #stopped = false;
  #retained: number[] = [];
  /** Completed checkpoints whose files exist, with the older checkpoints their incremental state uses. */
  readonly #references = new Map<number, Set<number>>();
  readonly #finished = new Set<string>();

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
    return this.#trigger(undefined);
  }

  #trigger(savepoint: SavepointRequest | undefined): number | undefined {
    if (this.#pending !== undefined || this.#stopped || !this.#hooks.canTrigger()) return undefined;
    const id = this.#nextId++;
    const now = this.#clock.now();
    const timeout = this.#clock.schedule(now + this.#config.timeoutMs, () =>
      this.#abort(id, `timed out after ${this.#config.timeoutMs} ms`),
    );
    const pending: Pending = { id, triggeredAt: now, acks: new Map(), timeout, savepoint };
    this.#pending = pending;
    this.#hooks.triggerSources(id, now);
    for (const key of this.#finished)
      if (this.#pending === pending && !pending.acks.has(key)) this.acknowledge(key, id, emptySnapshot(key));
    return id;
  }

  /**
   * Takes a savepoint into `storage` (a directory of its own: `savepoint-<id>`, self-contained and never
   * deleted by checkpoint retention). Waits for a checkpoint in progress to finish first. Resolves with the
   * savepoint's path.
   */
  triggerSavepoint(
    storage: CheckpointStorage,
    options: { notify: boolean; waitMs?: number },
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      const deadline = this.#clock.now() + (options.waitMs ?? this.#config.timeoutMs);
      const attempt = () => {
        if (this.#stopped) return reject(new Error('the job is not running'));
        const request: SavepointRequest = { storage, dir: '', notify: options.notify, resolve, reject };
        const id = this.#trigger(request);
        if (id !== undefined) {
          (request as { dir: string }).dir = `savepoint-${this.#jobId.slice(0, 6)}-${id}`;
          return;
        }
        if (this.#clock.now() >= deadline) {
          return reject(
            new Error(
              'could not start the savepoint: not all tasks are running, or a checkpoint is still in progress',
            ),
          );
        }
        this.#clock.schedule(this.#clock.now() + 20, attempt);
      };
      attempt();
    });
  }

  /** The checkpoint in progress, with the tasks that acknowledged it so far. */
  get pendingCheckpoint(): { id: number; acknowledged: string[]; missing: string[] } | undefined {
    const p = this.#pending;
    if (p === undefined) return undefined;
    const acknowledged = [...p.acks.keys()];
    return { id: p.id, acknowledged, missing: [...this.#expectedTasks].filter((t) => !p.acks.has(t)) };
  }

  get latestCompletedId(): number | undefined {
    return this.stats.lastCompleted?.id;
  }

  /**
   * A task that finished has no state left to snapshot (its input ended and it emitted everything): it
   * counts as acknowledged with empty state, for the pending checkpoint and every later one.
   */
  taskFinished(taskKey: string): void {
    this.#finished.add(taskKey);
    const p = this.#pending;
    if (p !== undefined && !p.acks.has(taskKey)) this.acknowledge(taskKey, p.id, emptySnapshot(taskKey));
  }

  /** A task's snapshot for checkpoint `id` (its async part completed). */
  acknowledge(taskKey: string, checkpointId: number, snapshot: TaskSnapshot): void {
    const p = this.#pending;
    if (p === undefined || p.id !== checkpointId || !this.#expectedTasks.has(taskKey) || p.completing) return;
    p.acks.set(taskKey, snapshot);
    // A task can acknowledge twice (finished with an empty snapshot while its real one was on the way):
    // write the checkpoint once.
    if (p.acks.size === this.#expectedTasks.size) {
      p.completing = true;
      void this.#complete(p);
    }
  }

  decline(checkpointId: number, reason: string): void {
    this.#abort(checkpointId, reason);
  }

  async #complete(p: Pending): Promise<void> {
    const storage = p.savepoint?.storage ?? this.#storage;
    const dir = p.savepoint?.dir ?? checkpointDir(this.#jobId, p.id);
    const operators: CheckpointMetadata['operators'] = {};
    const references = new Set<number>();
    let size = 0;
    try {
      for (const snap of p.acks.values()) {
        for (const op of snap.operators) {
          const file = `${op.uid}/${op.subtask}`;
          const bytes = encodeState(await this.#withBase(op, references, p.savepoint !== undefined));
          size += bytes.length;
          await storage.write(`${dir}/${file}`, bytes);
          const entry = (operators[op.uid] ??= {
            parallelism: op.parallelism,
            maxParallelism: op.maxParallelism,
            subtasks: [],
          });
          entry.subtasks.push(file);
        }
      }
      const metadata: CheckpointMetadata = {
        version: 2,
        jobId: this.#jobId,
        checkpointId: p.id,
        timestamp: p.triggeredAt,
        savepoint: p.savepoint !== undefined,
        operators,
        ...(references.size === 0 ? {} : { references: [...references].sort((a, b) => a - b) }),
      };
      // The metadata file is written last: only now does the checkpoint exist.
      await storage.write(`${dir}/${METADATA}`, Buffer.from(JSON.stringify(metadata, null, 2)));
    } catch (e) {
      this.#abort(p.id, `writing checkpoint ${p.id} failed: ${(e as Error).message}`);
      return;
    }
    if (this.#pending !== p) return;
    p.timeout.cancel();
    this.#pending = undefined;
    const now = this.#clock.now();
    if (p.savepoint !== undefined) {
      const path = `${storage.uri}/${dir}`;
      this.stats.lastSavepoint = { id: p.id, path, timestamp: p.triggeredAt };
      this.#hooks.log(`savepoint ${p.id} completed at ${path}`);
      if (p.savepoint.notify) await this.#hooks.notifyComplete(p.id);
      p.savepoint.resolve(path);
      return;
    }
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
    this.#references.set(p.id, references);
    while (this.#retained.length > this.#config.retained) this.#retained.shift();
    // A checkpoint goes once no retained checkpoint builds on it (incremental state refers to older files).
    // The checkpoint before the latest stays too: a task that has not yet heard of the latest builds its
    // next increment on that one.
    const live = new Set([
      ...this.#retained,
      ...[...this.#references.keys()].filter((id) => id < p.id).slice(-1),
    ]);
    for (const id of [...live]) for (const r of this.#references.get(id) ?? []) live.add(r);
    for (const id of [...this.#references.keys()]) {
      if (live.has(id)) continue;
      this.#references.delete(id);
      await this.#storage.remove(checkpointDir(this.#jobId, id)).catch(() => {});
    }
    await this.#hooks.notifyComplete(p.id);
  }

  /**
   * Incremental state names the file it builds on (recording the reference, so retention keeps that
   * checkpoint); for a savepoint, which must stand alone, the chain is materialized into full state.
   */
  async #withBase(
    op: OperatorSubtaskState,
    references: Set<number>,
    savepoint: boolean,
  ): Promise<OperatorSubtaskState> {
    const baseId = op.baseCheckpointId;
    if (baseId === undefined) return op;
    if (!this.#references.has(baseId)) {
      throw new Error(
        `operator "${op.uid}" subtask ${op.subtask} sent changes on checkpoint ${baseId}, which this ` +
          'JobManager does not hold; the task sends full state within a few checkpoints',
      );
    }
    const withBase = { ...op, base: subtaskStatePath(baseId, op.uid, op.subtask) };
    if (savepoint)
      return materializeIncrementalState(withBase, (path) => this.#storage.read(`${this.#jobId}/${path}`));
    references.add(baseId);
    for (const r of this.#references.get(baseId) ?? []) references.add(r);
    return withBase;
  }

  #abort(checkpointId: number, reason: string): void {
    const p = this.#pending;
    if (p === undefined || p.id !== checkpointId) return;
    p.timeout.cancel();
    this.#pending = undefined;
    if (p.savepoint !== undefined) {
      // A failed savepoint is reported to whoever asked; it does not fail the job.
      p.savepoint.reject(new Error(`savepoint ${checkpointId} failed: ${reason}`));
      return;
    }
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

function emptySnapshot(taskKey: string): TaskSnapshot {
  const [vertexId, subtask] = taskKey.split('/').map(Number);
  return { vertexId: vertexId!, subtask: subtask!, operators: [] };
}
