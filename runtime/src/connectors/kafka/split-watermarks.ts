// Per-partition watermarks inside a Kafka reader (Flink's per-split watermarking): each partition has its own
// generator, and the reader's watermark is the minimum over partitions that are not idle, so a partition that
// lags behind holds the watermark back and one without data (withIdleness) does not. The merged watermark
// only moves forward; when every partition is idle the reader is idle, and so is a reader without partitions
// once the strategy's idle timeout passed.

import type { WatermarkGenerator, WatermarkOutput } from '../../time/watermark-generator.ts';
import type { WatermarkStrategy } from '../../time/watermark-strategy.ts';

export type MergedWatermarkOutput = {
  emitWatermark(watermark: number): void;
  emitWatermarkStatus(idle: boolean): void;
};

type SplitState<T> = {
  readonly generator: WatermarkGenerator<T>;
  readonly output: WatermarkOutput;
  watermark: number;
  idle: boolean;
};

export class SplitWatermarks<T> {
  readonly #strategy: WatermarkStrategy<T>;
  readonly #now: () => number;
  readonly #splits = new Map<string, SplitState<T>>();
  #emitted = Number.NEGATIVE_INFINITY;
  #idle = false;
  readonly #createdAt: number;

  constructor(strategy: WatermarkStrategy<T>, now: () => number) {
    this.#strategy = strategy;
    this.#now = now;
    this.#createdAt = now();
  }

  addSplit(id: string): void {
    if (this.#splits.has(id)) return;
    const state: SplitState<T> = {
      generator: this.#strategy.createGenerator({ now: this.#now }),
      output: undefined as unknown as WatermarkOutput,
      watermark: Number.NEGATIVE_INFINITY,
      idle: false,
    };
    (state as { output: WatermarkOutput }).output = {
      emitWatermark: (w) => {
        if (w > state.watermark) state.watermark = w;
        state.idle = false;
      },
      markIdle: () => {
        state.idle = true;
      },
      markActive: () => {
        state.idle = false;
      },
    };
    this.#splits.set(id, state);
  }

  /** The event's timestamp: the strategy's assigner if it has one, else the Kafka timestamp. */
  onEvent(id: string, event: T, kafkaTimestamp: number): number {
    const split = this.#splits.get(id);
    const ts = this.#strategy.timestampAssigner?.(event, kafkaTimestamp) ?? kafkaTimestamp;
    split?.generator.onEvent(event, ts, split.output);
    return ts;
  }

  /** Asks every partition's generator for its watermark and emits the merged one if it advanced. */
  emitPeriodic(out: MergedWatermarkOutput): void {
    for (const s of this.#splits.values()) s.generator.onPeriodicEmit(s.output);
    this.#merge(out);
  }

  #merge(out: MergedWatermarkOutput): void {
    let min = Number.POSITIVE_INFINITY;
    let active = 0;
    for (const s of this.#splits.values()) {
      if (s.idle) continue;
      active++;
      if (s.watermark < min) min = s.watermark;
    }
    // A reader without partitions (parallelism above the partition count) goes idle after the strategy's
    // idle timeout, as in Flink; without withIdleness it holds the watermark back.
    const timeout = this.#strategy.idleTimeoutMs;
    const idle =
      this.#splits.size > 0
        ? active === 0
        : timeout !== undefined && this.#now() - this.#createdAt >= timeout;
    if (idle !== this.#idle) {
      this.#idle = idle;
      out.emitWatermarkStatus(idle);
    }
    if (!idle && active > 0 && min > this.#emitted && min !== Number.NEGATIVE_INFINITY) {
      this.#emitted = min;
      out.emitWatermark(min);
    }
  }
}
