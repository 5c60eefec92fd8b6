// WatermarkStrategy: how a stream gets event timestamps and watermarks (Flink's WatermarkStrategy).
import { toMillis } from './duration.ts';
import {
  BoundedOutOfOrdernessWatermarks,
  type WatermarkGenerator,
  WatermarksWithIdleness,
} from './watermark-generator.ts';

export type TimestampAssigner<T> = (element: T, recordTimestamp: number) => number;

export type GeneratorContext = { now(): number };

export class WatermarkStrategy<T> {
  readonly createGenerator: (ctx: GeneratorContext) => WatermarkGenerator<T>;
  readonly timestampAssigner: TimestampAssigner<T> | undefined;
  readonly idleTimeoutMs: number | undefined;

  private constructor(
    createGenerator: (ctx: GeneratorContext) => WatermarkGenerator<T>,
    timestampAssigner: TimestampAssigner<T> | undefined,
    idleTimeoutMs: number | undefined,
  ) {
    this.createGenerator = createGenerator;
    this.timestampAssigner = timestampAssigner;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  /** Watermarks trail the largest timestamp seen by `maxOutOfOrderness` (ms or a duration string). */
  static forBoundedOutOfOrderness<T>(maxOutOfOrderness: number | string): WatermarkStrategy<T> {
    const bound = toMillis(maxOutOfOrderness, 'forBoundedOutOfOrderness');
    if (bound < 0) throw new RangeError(`forBoundedOutOfOrderness needs a bound >= 0, got ${bound} ms`);
    return new WatermarkStrategy<T>(
      () => new BoundedOutOfOrdernessWatermarks(bound, false),
      undefined,
      undefined,
    );
  }

  /** For streams whose timestamps never decrease. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(
      () => new BoundedOutOfOrdernessWatermarks(0, false),
      undefined,
      undefined,
    );
  }

  static forGenerator<T>(create: (ctx: GeneratorContext) => WatermarkGenerator<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(create, undefined, undefined);
  }

  /** No watermarks at all: for processing-time jobs. */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => ({ onEvent() {}, onPeriodicEmit() {} }), undefined, undefined);
  }

  /**
   * Bounded out-of-orderness whose watermark advances after every event instead of periodically. The
   * watermark then depends only on the input, not on wall-clock timing: deterministic, for tests and replays.
   */
  static forBoundedOutOfOrdernessPerEvent<T>(maxOutOfOrderness: number | string): WatermarkStrategy<T> {
    const bound = toMillis(maxOutOfOrderness, 'forBoundedOutOfOrdernessPerEvent');
    return new WatermarkStrategy<T>(
      () => new BoundedOutOfOrdernessWatermarks(bound, true),
      undefined,
      undefined,
    );
  }

  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(this.createGenerator, assigner, this.idleTimeoutMs);
  }

  /** Marks the stream idle after `timeout` without events, so it does not hold back downstream watermarks. */
  withIdleness(timeout: number | string): WatermarkStrategy<T> {
    const ms = toMillis(timeout, 'withIdleness');
    if (!(ms > 0)) throw new RangeError(`withIdleness needs a positive timeout, got ${ms} ms`);
    const create = this.createGenerator;
    return new WatermarkStrategy<T>(
      (ctx) => new WatermarksWithIdleness(create(ctx), ms, () => ctx.now()),
      this.timestampAssigner,
      ms,
    );
  }
}
