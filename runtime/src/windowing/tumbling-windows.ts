// Tumbling windows: fixed size, no overlap. window = [start, start + size), start aligned to size + offset.
import { requirePositive } from '../time/duration.ts';
import { TimeWindowAssigner } from './time-window-assigner.ts';
import { TimeWindow } from './window.ts';

abstract class TumblingWindows extends TimeWindowAssigner {
  readonly size: number;
  readonly offset: number;
  // The last window is reused while elements keep falling into it: no allocation on the hot path.
  #last: TimeWindow[] = [new TimeWindow(Number.NaN, Number.NaN)];

  constructor(size: number, offset: number, eventTime: boolean) {
    super(eventTime);
    this.size = requirePositive(size, 'tumbling window size');
    if (Math.abs(offset) >= size) {
      throw new RangeError(
        `tumbling window offset must be smaller than its size (${size} ms), got ${offset} ms`,
      );
    }
    this.offset = offset;
  }

  protected windowsAt(time: number): readonly TimeWindow[] {
    const start = TimeWindow.getWindowStartWithOffset(time, this.offset, this.size);
    if (this.#last[0]!.start !== start) this.#last = [new TimeWindow(start, start + this.size)];
    return this.#last;
  }
}

export class TumblingEventTimeWindows extends TumblingWindows {
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(size, offset, true);
  }

  override toString(): string {
    return `TumblingEventTimeWindows(${this.size})`;
  }
}

export class TumblingProcessingTimeWindows extends TumblingWindows {
  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(size, offset, false);
  }

  override toString(): string {
    return `TumblingProcessingTimeWindows(${this.size})`;
  }
}
