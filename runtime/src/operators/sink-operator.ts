// Feeds records to a SinkWriter. A writer may return a promise from write(); the operator counts writes in
// flight so the task can hold back input (backpressure) and waits for them before the input ends. An
// asynchronous write failure fails the job with the record named.
import type { Sink, SinkWriter } from '../api/sink.ts';
import { AbstractStreamOperator } from './abstract-stream-operator.ts';
import type { OperatorRestore, OperatorSnapshot } from './operator-snapshot.ts';

/** Output a two-phase sink prepared for a checkpoint, committed once the checkpoint completes. */
type PendingCommit = { checkpointId: number; committable: unknown };

const MAX_WRITES_IN_FLIGHT = 256;

export class SinkOperator<T> extends AbstractStreamOperator<T, never> {
  readonly #sink: Sink<T>;
  #writer!: SinkWriter<T>;
  readonly #inFlight = new Set<Promise<unknown>>();
  #asyncError: unknown;
  #pendingCommits: PendingCommit[] = [];
  #restoredCommits: PendingCommit[] = [];
  #restoredCheckpointId: number | undefined;

  constructor(sink: Sink<T>) {
    super();
    this.#sink = sink;
  }

  override async open(): Promise<void> {
    this.#writer = await this.#sink.createWriter({
      subtaskIndex: this.ctx.subtaskIndex,
      parallelism: this.ctx.parallelism,
      operatorName: this.ctx.name,
      ...(this.#restoredCheckpointId === undefined
        ? {}
        : { restoredCheckpointId: this.#restoredCheckpointId }),
    });
    // Output prepared before a failure belongs to a completed checkpoint if it was restored: finish it.
    // Commits are idempotent, so committing something already committed does no harm.
    for (const c of this.#restoredCommits.splice(0)) await this.#writer.commit?.(c.committable);
  }

  override initializeState(restore: OperatorRestore | undefined): void {
    super.initializeState(restore);
    this.#restoredCheckpointId = restore?.checkpointId;
  }

  protected override restoreOperatorState(state: unknown[]): void {
    this.#restoredCommits = state as PendingCommit[];
  }

  /** Two-phase sinks seal their output at the barrier; the committables are part of the checkpoint. */
  override snapshotState(checkpointId: number): OperatorSnapshot | Promise<OperatorSnapshot> {
    const writer = this.#writer;
    if (writer.prepareCommit === undefined) return { uid: this.ctx.uid };
    // Called now, at the barrier: the writer seals exactly the records written before it (its own queue keeps
    // earlier writes ahead of the seal); records after the barrier go to the next part.
    const prepared = Promise.resolve(writer.prepareCommit(checkpointId));
    return prepared.then((committable) => {
      this.#pendingCommits.push({ checkpointId, committable });
      return { uid: this.ctx.uid, operatorState: this.#pendingCommits.slice() };
    });
  }

  override async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    const due = this.#pendingCommits.filter((c) => c.checkpointId <= checkpointId);
    this.#pendingCommits = this.#pendingCommits.filter((c) => c.checkpointId > checkpointId);
    for (const c of due) await this.#writer.commit?.(c.committable);
  }

  processElement(value: T, timestamp: number): void {
    if (this.#asyncError !== undefined) throw this.#asyncError;
    let result: void | Promise<void>;
    try {
      result = this.#writer.write(value, timestamp);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
      return;
    }
    if (result !== undefined) {
      const tracked: Promise<unknown> = result.then(
        () => this.#inFlight.delete(tracked),
        (e) => {
          this.#inFlight.delete(tracked);
          try {
            this.recordFailed(value, timestamp, e);
          } catch (fatal) {
            this.#asyncError ??= fatal;
          }
        },
      );
      this.#inFlight.add(tracked);
    }
  }

  /** Too many writes in flight: the task should wait for drain() before feeding more. */
  get backpressured(): boolean {
    return this.#inFlight.size >= MAX_WRITES_IN_FLIGHT;
  }

  /** Waits for writes in flight; rethrows the first asynchronous failure. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
    if (this.#asyncError !== undefined) throw this.#asyncError;
  }

  async finish(): Promise<void> {
    await this.drain();
    await this.#writer.flush(true);
    // The input ended: output sealed for checkpoints whose completion this task will not hear of any more
    // (it finishes before the notification arrives) is committed now, with the final part.
    for (const c of this.#pendingCommits.splice(0)) await this.#writer.commit?.(c.committable);
  }

  /** Flushes without ending (cancellation, checkpoints). */
  async flush(): Promise<void> {
    await this.drain();
    await this.#writer.flush(false);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.#writer?.close();
  }
}
