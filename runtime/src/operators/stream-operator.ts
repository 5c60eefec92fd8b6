// The operator contract (Flink's StreamOperator / OneInputStreamOperator). Records arrive as (value,
// timestamp) pairs, with no wrapper object, so a chain of operators passes records by plain calls.
import type { OperatorContext } from './operator-context.ts';
import type { OperatorRestore, OperatorSnapshot } from './operator-snapshot.ts';
import type { Output } from './output.ts';

export interface StreamOperator<IN, OUT> {
  setup(ctx: OperatorContext, output: Output<OUT>): void;
  /** Restores state (undefined on a fresh start). Called after setup, before open. */
  initializeState(restore: OperatorRestore | undefined): void;
  open(): void | Promise<void>;
  processElement(value: IN, timestamp: number): void;
  processWatermark(watermark: number): void;
  processWatermarkStatus(idle: boolean): void;
  /** The input ended: emit what is pending (Flink's finish()). */
  endInput(): void;
  /** Optional asynchronous completion after endInput (e.g. sinks flushing their writers). */
  finish?(): Promise<void>;
  close(): void | Promise<void>;
  /** Captures state now; a promise only for what must finish asynchronously (a sink's pre-commit). */
  snapshotState(checkpointId: number): OperatorSnapshot | Promise<OperatorSnapshot>;
  notifyCheckpointComplete(checkpointId: number): void | Promise<void>;
}

export type OperatorFactory<IN, OUT> = () => StreamOperator<IN, OUT>;
