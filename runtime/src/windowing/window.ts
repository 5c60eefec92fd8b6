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
  /**
   * Tumbling and sliding windows of one assigner have a fixed size, so the start alone names them (a number:
   * the fast path). Merging (session) windows can share a start with the window they grew from, so they are
   * named by start and end.
   */
  readonly namespace: Namespace;

  constructor(start: number, end: number, namespace?: Namespace) {
    this.start = start;
    this.end = end;
    this.namespace = namespace ?? start;
  }

  /** A window named by start and end, for merging assigners. */
  static merging(start: number, end: number): TimeWindow {
    return new TimeWindow(start, end, `${start}:${end}`);
  }

  maxTimestamp(): number {
    return this.end - 1;
  }

  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  cover(other: TimeWindow): TimeWindow {
    return TimeWindow.merging(Math.min(this.start, other.start), Math.max(this.end, other.end));
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

export type SerializedWindow = [number, number, Namespace] | 'global';

export function serializeWindow(w: Window): SerializedWindow {
  return w instanceof TimeWindow ? [w.start, w.end, w.namespace] : 'global';
}

export function deserializeWindow(s: SerializedWindow): Window {
  return s === 'global' ? GlobalWindow.INSTANCE : new TimeWindow(s[0], s[1], s[2]);
}
