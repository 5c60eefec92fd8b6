// Tumbling windows: fixed size, no overlap. window = [start, start + size), start aligned to size + offset.
import { requirePositive } from '../time/duration.ts';
import { NO_TIMESTAMP } from '../time/watermark.ts';
import { missingTimestamp } from './missing-timestamp.ts';
import type { Trigger } from './trigger.ts';
import { EventTimeTrigger, ProcessingTimeTrigger } from './triggers.ts';
import { TimeWindow } from './window.ts';
import type { AssignerContext, WindowAssigner } from './window-assigner.ts';

abstract class TumblingWindows implements WindowAssigner<unknown, TimeWindow> {
  readonly size: number;
  readonly offset: number;
  // The last window is reused while elements keep falling into it: no allocation on the hot path.
  #last: TimeWindow[] = [new TimeWindow(Number.NaN, Number.NaN)];

  constructor(size: number, offset: number) {
    this.size = requirePositive(size, 'tumbling window size');
    if (Math.abs(offset) >= size) {
      throw new RangeError(
        `tumbling window offset must be smaller than its size (${size} ms), got ${offset} ms`,
      );
    }
    this.offset = offset;
  }

  protected assign(timestamp: number): readonly TimeWindow[] {
    const start = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.size);
    if (this.#last[0]!.start !== start) this.#last = [new TimeWindow(start, start + this.size)];
    return this.#last;
  }

  abstract assignWindows(element: unknown, timestamp: number, ctx: AssignerContext): readonly TimeWindow[];
  abstract getDefaultTrigger(): Trigger<unknown, TimeWindow>;
  abstract isEventTime(): boolean;
}

export class TumblingEventTimeWindows extends TumblingWindows {
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(size, offset);
  }

  override assignWindows(_e: unknown, timestamp: number): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp(this.toString());
    return this.assign(timestamp);
  }

  override getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  override isEventTime(): boolean {
    return true;
  }

  override toString(): string {
    return `TumblingEventTimeWindows(${this.size})`;
  }
}

export class TumblingProcessingTimeWindows extends TumblingWindows {
  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(size, offset);
  }

  override assignWindows(_e: unknown, _ts: number, ctx: AssignerContext): readonly TimeWindow[] {
    return this.assign(ctx.getCurrentProcessingTime());
  }

  override getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  override isEventTime(): boolean {
    return false;
  }

  override toString(): string {
    return `TumblingProcessingTimeWindows(${this.size})`;
  }
}
