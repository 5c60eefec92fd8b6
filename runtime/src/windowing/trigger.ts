// Triggers decide when a window emits (Flink's Trigger): they react to elements and timers and return a
// TriggerResult. They keep their own per-window state through the context.
import type { AnyStateDescriptor } from '../state/state-descriptor.ts';
import type { Window } from './window.ts';

export type TriggerResult = 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE';

export function isFire(r: TriggerResult): boolean {
  return r === 'FIRE' || r === 'FIRE_AND_PURGE';
}

export function isPurge(r: TriggerResult): boolean {
  return r === 'PURGE' || r === 'FIRE_AND_PURGE';
}

export interface TriggerContext {
  getCurrentWatermark(): number;
  getCurrentProcessingTime(): number;
  registerEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  /** Keyed state scoped to the current key and window. */
  getPartitionedState<S>(descriptor: AnyStateDescriptor): S;
}

export interface OnMergeContext extends TriggerContext {
  /** Merges the named state of the merged windows into the resulting window. */
  mergePartitionedState(descriptor: AnyStateDescriptor): void;
}

export interface Trigger<T, W extends Window> {
  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  canMerge(): boolean;
  onMerge(window: W, ctx: OnMergeContext): void;
  clear(window: W, ctx: TriggerContext): void;
  toString(): string;
}
