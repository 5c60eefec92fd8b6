// The built-in triggers, with Flink's semantics.

import type { ReducingState } from '../state/keyed-state.ts';
import { reducingState } from '../state/state-descriptor.ts';
import type { OnMergeContext, Trigger, TriggerContext, TriggerResult } from './trigger.ts';
import type { Window } from './window.ts';

/** Fires once the watermark passes the window's end; a late element (window already passed) fires at once. */
export class EventTimeTrigger implements Trigger<unknown, Window> {
  static create(): EventTimeTrigger {
    return new EventTimeTrigger();
  }

  onElement(_e: unknown, _ts: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) return 'FIRE';
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return 'CONTINUE';
  }

  onEventTime(time: number, window: Window): TriggerResult {
    return time === window.maxTimestamp() ? 'FIRE' : 'CONTINUE';
  }

  onProcessingTime(): TriggerResult {
    return 'CONTINUE';
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(window: Window, ctx: OnMergeContext): void {
    if (window.maxTimestamp() > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(window.maxTimestamp());
  }

  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }

  toString(): string {
    return 'EventTimeTrigger()';
  }
}

/** Fires when processing time passes the window's end. */
export class ProcessingTimeTrigger implements Trigger<unknown, Window> {
  static create(): ProcessingTimeTrigger {
    return new ProcessingTimeTrigger();
  }

  onElement(_e: unknown, _ts: number, window: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return 'CONTINUE';
  }

  onEventTime(): TriggerResult {
    return 'CONTINUE';
  }

  onProcessingTime(): TriggerResult {
    return 'FIRE';
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(window: Window, ctx: OnMergeContext): void {
    if (window.maxTimestamp() > ctx.getCurrentProcessingTime())
      ctx.registerProcessingTimeTimer(window.maxTimestamp());
  }

  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }

  toString(): string {
    return 'ProcessingTimeTrigger()';
  }
}

const sum = (a: number, b: number) => a + b;

/** Fires every `maxCount` elements of a window. */
export class CountTrigger implements Trigger<unknown, Window> {
  readonly #maxCount: number;
  readonly #count = reducingState<number>('riffle-count-trigger', sum);

  private constructor(maxCount: number) {
    if (!Number.isInteger(maxCount) || maxCount < 1) {
      throw new RangeError(`CountTrigger.of(n) needs a positive integer count, got ${maxCount}`);
    }
    this.#maxCount = maxCount;
  }

  static of(maxCount: number): CountTrigger {
    return new CountTrigger(maxCount);
  }

  onElement(_e: unknown, _ts: number, _w: Window, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedState<ReducingState<number>>(this.#count);
    count.add(1);
    if (count.get()! >= this.#maxCount) {
      count.clear();
      return 'FIRE';
    }
    return 'CONTINUE';
  }

  onEventTime(): TriggerResult {
    return 'CONTINUE';
  }

  onProcessingTime(): TriggerResult {
    return 'CONTINUE';
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(_w: Window, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.#count);
  }

  clear(_w: Window, ctx: TriggerContext): void {
    ctx.getPartitionedState<ReducingState<number>>(this.#count).clear();
  }

  toString(): string {
    return `CountTrigger(${this.#maxCount})`;
  }
}

/** Turns every FIRE of the wrapped trigger into FIRE_AND_PURGE. */
export class PurgingTrigger<T, W extends Window> implements Trigger<T, W> {
  readonly #nested: Trigger<T, W>;

  private constructor(nested: Trigger<T, W>) {
    this.#nested = nested;
  }

  static of<T, W extends Window>(nested: Trigger<T, W>): PurgingTrigger<T, W> {
    return new PurgingTrigger(nested);
  }

  #purge(r: TriggerResult): TriggerResult {
    return r === 'FIRE' ? 'FIRE_AND_PURGE' : r;
  }

  onElement(e: T, ts: number, w: W, ctx: TriggerContext): TriggerResult {
    return this.#purge(this.#nested.onElement(e, ts, w, ctx));
  }

  onEventTime(time: number, w: W, ctx: TriggerContext): TriggerResult {
    return this.#purge(this.#nested.onEventTime(time, w, ctx));
  }

  onProcessingTime(time: number, w: W, ctx: TriggerContext): TriggerResult {
    return this.#purge(this.#nested.onProcessingTime(time, w, ctx));
  }

  canMerge(): boolean {
    return this.#nested.canMerge();
  }

  onMerge(w: W, ctx: OnMergeContext): void {
    this.#nested.onMerge(w, ctx);
  }

  clear(w: W, ctx: TriggerContext): void {
    this.#nested.clear(w, ctx);
  }

  toString(): string {
    return `PurgingTrigger(${this.#nested.toString()})`;
  }
}

/** The default trigger of GlobalWindows: never fires. */
export class NeverTrigger implements Trigger<unknown, Window> {
  onElement(): TriggerResult {
    return 'CONTINUE';
  }
  onEventTime(): TriggerResult {
    return 'CONTINUE';
  }
  onProcessingTime(): TriggerResult {
    return 'CONTINUE';
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(): void {}
  clear(): void {}
  toString(): string {
    return 'NeverTrigger()';
  }
}
