// Sliding (hopping) windows: size and slide; an element belongs to size/slide overlapping windows.
import { requirePositive } from '../time/duration.ts';
import { TimeWindowAssigner } from './time-window-assigner.ts';
import { TimeWindow } from './window.ts';

abstract class SlidingWindows extends TimeWindowAssigner {
  readonly size: number;
  readonly slide: number;
  readonly offset: number;
  #cacheStart = Number.NaN;
  #cache: TimeWindow[] = [];

  constructor(size: number, slide: number, offset: number, eventTime: boolean) {
    super(eventTime);
    this.size = requirePositive(size, 'sliding window size');
    this.slide = requirePositive(slide, 'sliding window slide');
    if (Math.abs(offset) >= slide) {
      throw new RangeError(
        `sliding window offset must be smaller than the slide (${slide} ms), got ${offset} ms`,
      );
    }
    this.offset = offset;
  }

  protected windowsAt(time: number): readonly TimeWindow[] {
    const lastStart = TimeWindow.getWindowStartWithOffset(time, this.offset, this.slide);
    // The windows depend only on lastStart when size is a multiple of slide; otherwise also on the time.
    if (lastStart === this.#cacheStart && this.size % this.slide === 0) return this.#cache;
    const windows: TimeWindow[] = [];
    for (let start = lastStart; start > time - this.size; start -= this.slide) {
      windows.push(new TimeWindow(start, start + this.size));
    }
    this.#cacheStart = lastStart;
    this.#cache = windows;
    return windows;
  }
}

export class SlidingEventTimeWindows extends SlidingWindows {
  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(size, slide, offset, true);
  }

  override toString(): string {
    return `SlidingEventTimeWindows(${this.size}, ${this.slide})`;
  }
}

export class SlidingProcessingTimeWindows extends SlidingWindows {
  static of(size: number, slide: number, offset = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(size, slide, offset, false);
  }

  override toString(): string {
    return `SlidingProcessingTimeWindows(${this.size}, ${this.slide})`;
  }
}
