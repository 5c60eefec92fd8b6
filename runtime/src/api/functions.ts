// The user-function interfaces of the DataStream API, named as in Flink.
import type { Collector } from './collector.ts';

export type MapFunction<IN, OUT> = (value: IN) => OUT;
export type FilterFunction<IN> = (value: IN) => boolean;
export type FlatMapFunction<IN, OUT> = (value: IN, out: Collector<OUT>) => void;
export type KeySelector<IN, KEY> = (value: IN) => KEY;
export type ReduceFunction<T> = (a: T, b: T) => T;

/** Incremental aggregation: one accumulator per key and window (the fast path for windows). */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  /** Needed by merging (session) windows. */
  merge(a: ACC, b: ACC): ACC;
}
