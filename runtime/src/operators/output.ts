// The path records take out of an operator: to the next chained operator or to a record writer.
import type { OutputTag } from '../api/output-tag.ts';

export interface Output<T> {
  /** Emits a record with its event timestamp (NO_TIMESTAMP if it has none). */
  collect(value: T, timestamp: number): void;
  /** Emits a record to a side output. */
  collectSide<X>(tag: OutputTag<X>, value: X, timestamp: number): void;
  emitWatermark(watermark: number): void;
  /** Marks the stream idle (true) or active (false) so downstream watermarks ignore or include it. */
  emitWatermarkStatus(idle: boolean): void;
  /** Called once when the operator has seen the end of its input and emitted its last records. */
  endOfInput(): void;
}
