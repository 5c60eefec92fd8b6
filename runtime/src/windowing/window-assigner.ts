// Window assigners (Flink's WindowAssigner): which windows an element belongs to, and the trigger used when
// the user sets none. Merging assigners (sessions) also merge overlapping windows.
import type { Trigger } from './trigger.ts';
import type { TimeWindow, Window } from './window.ts';

export type AssignerContext = { getCurrentProcessingTime(): number };

export interface WindowAssigner<T, W extends Window> {
  /** The windows of an element. The returned array may be reused by the next call: do not keep it. */
  assignWindows(element: T, timestamp: number, ctx: AssignerContext): readonly W[];
  getDefaultTrigger(): Trigger<T, W>;
  isEventTime(): boolean;
  toString(): string;
}

export interface MergingWindowAssigner<T> extends WindowAssigner<T, TimeWindow> {
  readonly merging: true;
}

export function isMerging<T, W extends Window>(
  a: WindowAssigner<T, W>,
): a is WindowAssigner<T, W> & MergingWindowAssigner<T> {
  return (a as { merging?: boolean }).merging === true;
}
