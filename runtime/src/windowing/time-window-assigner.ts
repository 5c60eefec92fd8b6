// What tumbling and sliding assigners share: event time or processing time decides where the element's
// time comes from and which trigger fires by default.
import { NO_TIMESTAMP } from '../time/watermark.ts';
import { missingTimestamp } from './missing-timestamp.ts';
import type { Trigger } from './trigger.ts';
import { EventTimeTrigger, ProcessingTimeTrigger } from './triggers.ts';
import type { TimeWindow } from './window.ts';
import type { AssignerContext, WindowAssigner } from './window-assigner.ts';

export abstract class TimeWindowAssigner implements WindowAssigner<unknown, TimeWindow> {
  readonly #eventTime: boolean;

  constructor(eventTime: boolean) {
    this.#eventTime = eventTime;
  }

  /** The windows containing `time`. */
  protected abstract windowsAt(time: number): readonly TimeWindow[];

  assignWindows(_element: unknown, timestamp: number, ctx: AssignerContext): readonly TimeWindow[] {
    if (!this.#eventTime) return this.windowsAt(ctx.getCurrentProcessingTime());
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp(this.toString());
    return this.windowsAt(timestamp);
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return this.#eventTime ? EventTimeTrigger.create() : ProcessingTimeTrigger.create();
  }

  isEventTime(): boolean {
    return this.#eventTime;
  }
}
