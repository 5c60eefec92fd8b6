// Sources (in the spirit of Flink's FLIP-27): one reader per parallel subtask. A reader never blocks:
// pollNext emits what it has, and isAvailable() resolves when it may have more. Reader positions are
// snapshotted as a list of split states, so a restore at another parallelism can redistribute them.
import type { ProcessingTimeService } from '../time/processing-time-service.ts';

export type Boundedness = 'bounded' | 'unbounded';

export type InputStatus = 'more-available' | 'nothing-available' | 'end-of-input';

export type SourceReaderContext = {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly operatorName: string;
  readonly clock: ProcessingTimeService;
};

export interface ReaderOutput<T> {
  /** Emits a record; `timestamp` is the record's own time (e.g. a Kafka timestamp), if it has one. */
  collect(value: T, timestamp?: number): void;
  /**
   * Reports an input record that could not be read (bad JSON, a CSV row with the wrong column count).
   * `record` is the raw input and `where` says where it came from (file and line, topic/partition/offset).
   * The record goes to the dead-letter output, or fails the job, per the source's onRecordError policy.
   */
  deadLetter(record: unknown, where: string, cause: unknown): void;
  /**
   * Sources that generate their own watermarks (per split, like Kafka partitions) emit them here; the task
   * forwards them downstream. Present in the engine's output; optional for test outputs.
   */
  emitWatermark?(watermark: number): void;
  /** Marks the reader idle (true) or active again (false), so downstream watermarks do not wait for it. */
  emitWatermarkStatus?(idle: boolean): void;
}

export interface SourceReader<T> {
  start?(): void | Promise<void>;
  /** Emits up to `budget` records without blocking. */
  pollNext(output: ReaderOutput<T>, budget: number): InputStatus;
  /** Resolves when pollNext may have records again after it returned 'nothing-available'. */
  isAvailable(): Promise<void>;
  /** The reader's position, as a list of split states (plain data). */
  snapshotState(checkpointId: number): unknown[];
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface Source<T> {
  readonly boundedness: Boundedness;
  /** Creates the reader of one subtask; `restored` is its share of split states after a restore. */
  createReader(
    ctx: SourceReaderContext,
    restored: unknown[] | undefined,
  ): SourceReader<T> | Promise<SourceReader<T>>;
  /**
   * On a restore, deals the checkpointed split states to the `parallelism` new readers (like Flink's split
   * enumerator choosing each split's owner). Without it they are dealt round-robin. Must keep every split once.
   */
  assignSplits?(splits: unknown[], parallelism: number): unknown[][];
}
