// The full-window function: sees the key, the window and (all or the pre-aggregated) elements.

import type { Window } from '../windowing/window.ts';
import type { Collector } from './collector.ts';
import type { OutputTag } from './output-tag.ts';
import type { KeyedStateStore } from './runtime-context.ts';

export interface ProcessWindowContext<W extends Window> {
  readonly window: W;
  currentProcessingTime(): number;
  currentWatermark(): number;
  /** State of this key and this window; cleared when the window is cleaned up. */
  readonly windowState: KeyedStateStore;
  /** State of this key across all windows. */
  readonly globalState: KeyedStateStore;
  output<X>(tag: OutputTag<X>, value: X): void;
}

export interface ProcessWindowFunction<IN, OUT, KEY, W extends Window> {
  process(key: KEY, context: ProcessWindowContext<W>, elements: readonly IN[], out: Collector<OUT>): void;
  clear?(context: ProcessWindowContext<W>): void;
}

export type ProcessWindowFunctionLike<IN, OUT, KEY, W extends Window> =
  | ProcessWindowFunction<IN, OUT, KEY, W>
  | ProcessWindowFunction<IN, OUT, KEY, W>['process'];

export function toProcessWindowFunction<IN, OUT, KEY, W extends Window>(
  fn: ProcessWindowFunctionLike<IN, OUT, KEY, W>,
): ProcessWindowFunction<IN, OUT, KEY, W> {
  return typeof fn === 'function' ? { process: fn } : fn;
}
