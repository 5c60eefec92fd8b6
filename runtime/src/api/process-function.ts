// Process functions: the lowest-level user functions, with access to timestamps, side outputs and, on keyed
// streams, state and timers (Flink's ProcessFunction and KeyedProcessFunction).
import type { Collector } from './collector.ts';
import type { OutputTag } from './output-tag.ts';
import type { RuntimeContext } from './runtime-context.ts';

export interface TimerService {
  currentProcessingTime(): number;
  currentWatermark(): number;
  registerEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}

export interface ProcessContext {
  /** The record's event timestamp, or NO_TIMESTAMP. */
  timestamp(): number;
  timerService(): TimerService;
  output<X>(tag: OutputTag<X>, value: X): void;
}

export interface ProcessFunction<IN, OUT> {
  open?(ctx: RuntimeContext): void | Promise<void>;
  processElement(value: IN, ctx: ProcessContext, out: Collector<OUT>): void;
  close?(): void | Promise<void>;
}

export interface KeyedProcessContext<K> extends ProcessContext {
  getCurrentKey(): K;
}

export interface OnTimerContext<K> extends KeyedProcessContext<K> {
  timeDomain(): 'event-time' | 'processing-time';
}

export interface KeyedProcessFunction<K, IN, OUT> {
  open?(ctx: RuntimeContext): void | Promise<void>;
  processElement(value: IN, ctx: KeyedProcessContext<K>, out: Collector<OUT>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<OUT>): void;
  close?(): void | Promise<void>;
}
