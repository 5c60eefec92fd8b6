// Watermark generation (FLIP-126): a generator sees every event and is asked periodically for a watermark.
// Built-ins: bounded out-of-orderness (monotonous = bound 0), and an idleness wrapper.

export interface WatermarkOutput {
  emitWatermark(watermark: number): void;
  /** Marks this output idle: downstream watermarks stop waiting for it until it emits again. */
  markIdle(): void;
  markActive(): void;
}

export interface WatermarkGenerator<T> {
  onEvent(event: T, timestamp: number, output: WatermarkOutput): void;
  onPeriodicEmit(output: WatermarkOutput): void;
}

/** watermark = max timestamp seen - bound - 1, emitted periodically. */
export class BoundedOutOfOrdernessWatermarks implements WatermarkGenerator<unknown> {
  readonly #bound: number;
  #maxTimestamp: number;
  readonly #perEvent: boolean;

  constructor(outOfOrdernessMs: number, perEvent: boolean) {
    if (!(outOfOrdernessMs >= 0)) {
      throw new RangeError(`out-of-orderness bound must be >= 0 ms, got ${outOfOrdernessMs}`);
    }
    this.#bound = outOfOrdernessMs;
    this.#maxTimestamp = Number.NEGATIVE_INFINITY;
    this.#perEvent = perEvent;
  }

  onEvent(_e: unknown, timestamp: number, output: WatermarkOutput): void {
    if (timestamp > this.#maxTimestamp) this.#maxTimestamp = timestamp;
    if (this.#perEvent) this.onPeriodicEmit(output);
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.#maxTimestamp !== Number.NEGATIVE_INFINITY)
      output.emitWatermark(this.#maxTimestamp - this.#bound - 1);
  }
}

/** Marks the output idle when no event arrived for `idleTimeoutMs` of processing time (Flink's WatermarksWithIdleness). */
export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  readonly #inner: WatermarkGenerator<T>;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #lastActivity: number;
  #idle = false;

  constructor(inner: WatermarkGenerator<T>, idleTimeoutMs: number, now: () => number) {
    this.#inner = inner;
    this.#timeoutMs = idleTimeoutMs;
    this.#now = now;
    this.#lastActivity = now();
  }

  onEvent(event: T, timestamp: number, output: WatermarkOutput): void {
    this.#lastActivity = this.#now();
    if (this.#idle) {
      this.#idle = false;
      output.markActive();
    }
    this.#inner.onEvent(event, timestamp, output);
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.#idle) return;
    if (this.#now() - this.#lastActivity >= this.#timeoutMs) {
      this.#idle = true;
      output.markIdle();
      return;
    }
    this.#inner.onPeriodicEmit(output);
  }
}
