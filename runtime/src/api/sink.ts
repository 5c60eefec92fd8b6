// Sinks (Flink's Sink V2): a writer per parallel subtask. Two-phase sinks also implement the commit hooks:
// prepareCommit at the checkpoint barrier, commit once the checkpoint is complete.

export type SinkContext = {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly operatorName: string;
  /** Set when the job restored from a checkpoint or savepoint: its id. */
  readonly restoredCheckpointId?: number;
};

export interface SinkWriter<T> {
  write(value: T, timestamp: number): void | Promise<void>;
  /** Flushes buffered output; `endOfInput` is true at the end of a bounded input. */
  flush(endOfInput: boolean): void | Promise<void>;
  close(): void | Promise<void>;
  /** Two-phase sinks: seals the pending transaction for a checkpoint and returns what to commit later. */
  prepareCommit?(checkpointId: number): unknown | Promise<unknown>;
  /** Two-phase sinks: makes the prepared output visible. */
  commit?(committable: unknown): void | Promise<void>;
}

export interface Sink<T> {
  createWriter(ctx: SinkContext): SinkWriter<T> | Promise<SinkWriter<T>>;
}
