// Session windows: each element opens [ts, ts + gap); overlapping sessions of a key merge.
import { requirePositive } from '../time/duration.ts';
import { NO_TIMESTAMP } from '../time/watermark.ts';
import { missingTimestamp } from './missing-timestamp.ts';
import type { Trigger } from './trigger.ts';
import { EventTimeTrigger, ProcessingTimeTrigger } from './triggers.ts';
import { TimeWindow } from './window.ts';
import type { AssignerContext, MergingWindowAssigner } from './window-assigner.ts';

export type SessionGapExtractor<T> = (element: T) => number;

abstract class SessionWindows<T> implements MergingWindowAssigner<T> {
  readonly merging = true as const;
  readonly #gap: SessionGapExtractor<T>;
  readonly #describe: string;

  constructor(gap: SessionGapExtractor<T>, describe: string) {
    this.#gap = gap;
    this.#describe = describe;
  }

  /** The session gap for `element` (checked positive). */
  gapOf(element: T): number {
    const gap = this.#gap(element);
    if (!(gap > 0)) {
      throw new RangeError(
        `session gap must be positive, got ${gap} ms for element ${JSON.stringify(element)}`,
      );
    }
    return gap;
  }

  protected session(element: T, timestamp: number): readonly TimeWindow[] {
    return [TimeWindow.merging(timestamp, timestamp + this.gapOf(element))];
  }

  abstract assignWindows(element: T, timestamp: number, ctx: AssignerContext): readonly TimeWindow[];
  abstract getDefaultTrigger(): Trigger<T, TimeWindow>;
  abstract isEventTime(): boolean;

  toString(): string {
    return this.#describe;
  }
}

export class EventTimeSessionWindows<T> extends SessionWindows<T> {
  static withGap(gap: number): EventTimeSessionWindows<unknown> {
    requirePositive(gap, 'session window gap');
    return new EventTimeSessionWindows(() => gap, `EventTimeSessionWindows(${gap})`);
  }

  static withDynamicGap<T>(extractor: SessionGapExtractor<T>): EventTimeSessionWindows<T> {
    return new EventTimeSessionWindows(extractor, 'DynamicEventTimeSessionWindows()');
  }

  assignWindows(element: T, timestamp: number): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp(this.toString());
    return this.session(element, timestamp);
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return EventTimeTrigger.create();
  }

  isEventTime(): boolean {
    return true;
  }
}

export class ProcessingTimeSessionWindows<T> extends SessionWindows<T> {
  static withGap(gap: number): ProcessingTimeSessionWindows<unknown> {
    requirePositive(gap, 'session window gap');
    return new ProcessingTimeSessionWindows(() => gap, `ProcessingTimeSessionWindows(${gap})`);
  }

  static withDynamicGap<T>(extractor: SessionGapExtractor<T>): ProcessingTimeSessionWindows<T> {
    return new ProcessingTimeSessionWindows(extractor, 'DynamicProcessingTimeSessionWindows()');
  }

  assignWindows(element: T, _ts: number, ctx: AssignerContext): readonly TimeWindow[] {
    return this.session(element, ctx.getCurrentProcessingTime());
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  isEventTime(): boolean {
    return false;
  }
}

/** Merges overlapping windows (Flink's TimeWindow.mergeWindows): sorted by start, then swept. */
export function mergeTimeWindows(
  windows: readonly TimeWindow[],
  callback: (toBeMerged: TimeWindow[], mergeResult: TimeWindow) => void,
): void {
  const sorted = windows.slice().sort((a, b) => a.start - b.start);
  let current: { cover: TimeWindow; members: TimeWindow[] } | undefined;
  const groups: { cover: TimeWindow; members: TimeWindow[] }[] = [];
  for (const w of sorted) {
    if (current === undefined) current = { cover: w, members: [w] };
    else if (current.cover.intersects(w)) {
      current.cover = current.cover.cover(w);
      current.members.push(w);
    } else {
      groups.push(current);
      current = { cover: w, members: [w] };
    }
  }
  if (current !== undefined) groups.push(current);
  for (const g of groups) if (g.members.length > 1) callback(g.members, g.cover);
}
