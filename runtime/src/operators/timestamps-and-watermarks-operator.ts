// Assigns event timestamps and generates watermarks inside a stream (assignTimestampsAndWatermarks).
// Upstream watermarks are swallowed, except the final MAX_WATERMARK that ends a bounded input.

import type { ScheduledCallback } from '../time/processing-time-service.ts';
import { MAX_WATERMARK } from '../time/watermark.ts';
import type { WatermarkGenerator, WatermarkOutput } from '../time/watermark-generator.ts';
import type { GeneratorContext, TimestampAssigner, WatermarkStrategy } from '../time/watermark-strategy.ts';
import { AbstractStreamOperator } from './abstract-stream-operator.ts';

export class TimestampsAndWatermarksOperator<T>
  extends AbstractStreamOperator<T, T>
  implements WatermarkOutput
{
  readonly #strategy: WatermarkStrategy<T>;
  #assigner: TimestampAssigner<T> | undefined;
  #generator!: WatermarkGenerator<T>;
  #lastEmitted = Number.NEGATIVE_INFINITY;
  #idle = false;
  #timer: ScheduledCallback | undefined;
  #closed = false;

  constructor(strategy: WatermarkStrategy<T>) {
    super();
    this.#strategy = strategy;
  }

  override open(): void {
    const genCtx: GeneratorContext = { now: () => this.ctx.clock.now() };
    this.#generator = this.#strategy.createGenerator(genCtx);
    this.#assigner = this.#strategy.timestampAssigner;
    this.#schedule();
  }

  #schedule(): void {
    const interval = this.ctx.autoWatermarkInterval;
    if (!(interval > 0) || this.#closed) return;
    this.#timer = this.ctx.clock.schedule(this.ctx.clock.now() + interval, () => {
      this.#generator.onPeriodicEmit(this);
      this.#schedule();
    });
  }

  processElement(value: T, timestamp: number): void {
    let ts = timestamp;
    if (this.#assigner !== undefined) {
      try {
        ts = this.#assigner(value, timestamp);
        if (typeof ts !== 'number' || Number.isNaN(ts)) {
          throw new TypeError(`timestamp assigner returned ${String(ts)}; it must return epoch milliseconds`);
        }
        this.#generator.onEvent(value, ts, this);
      } catch (e) {
        this.recordFailed(value, timestamp, e);
        return;
      }
    } else {
      this.#generator.onEvent(value, ts, this);
    }
    this.output.collect(value, ts);
  }

  override processWatermark(watermark: number): void {
    if (watermark === MAX_WATERMARK) {
      this.#generator.onPeriodicEmit(this);
      this.emitWatermark(MAX_WATERMARK);
    }
  }

  override processWatermarkStatus(): void {}

  emitWatermark(watermark: number): void {
    if (this.#idle) this.markActive();
    if (watermark > this.#lastEmitted) {
      this.#lastEmitted = watermark;
      this.currentWatermark = watermark;
      this.ctx.metrics.currentOutputWatermark = watermark;
      this.output.emitWatermark(watermark);
    }
  }

  markIdle(): void {
    if (!this.#idle) {
      this.#idle = true;
      this.output.emitWatermarkStatus(true);
    }
  }

  markActive(): void {
    if (this.#idle) {
      this.#idle = false;
      this.output.emitWatermarkStatus(false);
    }
  }

  override async close(): Promise<void> {
    this.#closed = true;
    this.#timer?.cancel();
    await super.close();
  }
}
