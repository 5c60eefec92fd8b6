// Windows: the namespace of window state and timers. Each window has a namespace key that is unique among
// the live windows of one key in one operator.
import type { Namespace } from '../state/state-table.ts';
import { MAX_WATERMARK } from '../time/watermark.ts';

export interface Window {
  /** The largest timestamp that still belongs to the window. */
  maxTimestamp(): number;
  readonly namespace: Namespace;
}

/** A half-open interval of time [start, end). */
export class TimeWindow implements Window {
  readonly start: number;
  readonly end: number;

  constructor(start: number, end: number) {
    this.start = start;
    this.end = end;
  }

  maxTimestamp(): number {
    return this.end - 1;
  }

  /** The start is unique among one key's live windows of any single assigner, so it names the window. */
  get namespace(): Namespace {
    return this.start;
  }

  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  equals(other: TimeWindow): boolean {
    return this.start === other.start && this.end === other.end;
  }

  toString(): string {
    return `TimeWindow[${this.start}, ${this.end})`;
  }

  /** Flink's TimeWindow.getWindowStartWithOffset. */
  static getWindowStartWithOffset(timestamp: number, offset: number, windowSize: number): number {
    const remainder = (timestamp - offset) % windowSize;
    return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
  }
}

/** The single window of GlobalWindows: everything, forever. */
export class GlobalWindow implements Window {
  static readonly INSTANCE = new GlobalWindow();
  readonly namespace: Namespace = 0;

  maxTimestamp(): number {
    return MAX_WATERMARK;
  }

  toString(): string {
    return 'GlobalWindow';
  }
}

export type SerializedWindow = [number, number] | 'global';

export function serializeWindow(w: Window): SerializedWindow {
  return w instanceof TimeWindow ? [w.start, w.end] : 'global';
}

export function deserializeWindow(s: SerializedWindow): Window {
  return s === 'global' ? GlobalWindow.INSTANCE : new TimeWindow(s[0], s[1]);
}
