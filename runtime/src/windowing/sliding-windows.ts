// Sliding (hopping) windows: size and slide; an element belongs to size/slide overlapping windows.
import { requirePositive } from '../time/duration.ts';
import { NO_TIMESTAMP } from '../time/watermark.ts';
import { missingTimestamp } from './missing-timestamp.ts';
import type { Trigger } from './trigger.ts';
import { EventTimeTrigger, ProcessingTimeTrigger } from './triggers.ts';
import { TimeWindow } from './window.ts';
import type { AssignerContext, WindowAssigner } from './window-assigner.ts';

abstract class SlidingWindows implements WindowAssigner<unknown, TimeWindow> {
  readonly size: number;
  readonly slide: number;
  readonly offset: number;
  #cacheStart = Number.NaN;
  #cache: TimeWindow[] = [];

  constructor(size: number, slide: number, offset: number) {
    this.size = requirePositive(size, 'sliding window size');
    this.slide = requirePositive(slide, 'sliding window slide');
    if (Math.abs(offset) >= slide) {
      throw new RangeError(
        `sliding window offset must be smaller than the slide (${slide} ms), got ${offset} ms`,
      );
    }
    this.offset = offset;
  }

  protected assign(timestamp: number): readonly TimeWindow[] {
    const lastStart = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.slide);
    if (lastStart === this.#cacheStart) return this.#cache;
    const windows: TimeWindow[] = [];
    for (let start = lastStart; start > timestamp - this.size; start -= this.slide) {
      windows.push(new TimeWindow(start, start + this.size));
    }
    this.#cacheStart = lastStart;
    this.#cache = windows;
    return windows;
  }

  abstract assignWindows(element: unknown, timestamp: number, ctx: AssignerContext): readonly TimeWindow[];
  abstract getDefaultTrigger(): Trigger<unknown, TimeWindow>;
  abstract isEventTime(): boolean;
}

export class SlidingEventTimeWindows extends SlidingWindows {
  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(size, slide, offset);
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
    return `SlidingEventTimeWindows(${this.size}, ${this.slide})`;
  }
}

export class SlidingProcessingTimeWindows extends SlidingWindows {
  static of(size: number, slide: number, offset = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(size, slide, offset);
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
    return `SlidingProcessingTimeWindows(${this.size}, ${this.slide})`;
  }
}
