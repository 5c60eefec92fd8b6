// NexmarkSource: the Nexmark generator as a Riffle source. Bounded by `count` events or unbounded; event
// time comes from the event number and the configured rate (NexmarkConfig.eventsPerSecond), never from the
// wall clock. `recordsPerSecond` optionally throttles emission in wall-clock time as well.
//
// Splits are those of DataGeneratorSource (which this delegates to): subtask s of p makes event numbers
// s, s+p, s+2p, ...; a snapshot is one {nextIndex, stride} per split, and a restore at another
// parallelism redistributes them. Whatever the parallelism, the union of the output is the same events.
import type {
  InputStatus,
  ReaderOutput,
  Source,
  SourceReader,
  SourceReaderContext,
} from '../../api/source.ts';
import type { ProcessingTimeService, ScheduledCallback } from '../../time/processing-time-service.ts';
import { WatermarkStrategy } from '../../time/watermark-strategy.ts';
import { DataGeneratorSource } from '../datagen-source.ts';
import { NexmarkEventGenerator } from './event-generator.ts';
import { GeneratorConfig, type NexmarkConfig } from './generator-config.ts';
import type { NexmarkEvent } from './model.ts';

export type NexmarkSourceOptions = {
  /** Number of events; unbounded when absent. */
  readonly count?: number;
  /** Wall-clock emission limit over all subtasks; as fast as possible when absent. */
  readonly recordsPerSecond?: number;
  readonly config?: Partial<NexmarkConfig>;
  /**
   * Emit every event no earlier than its event time on the wall clock, as the reference generator does
   * unless told to emit at maximum speed. Set config.baseTime to the wall-clock start; a reader that falls
   * behind catches up as fast as it can, so end-to-end latency (sink time − event time) shows the lag.
   */
  readonly paced?: boolean;
};

export class NexmarkSource implements Source<NexmarkEvent> {
  readonly boundedness: 'bounded' | 'unbounded';
  readonly generatorConfig: GeneratorConfig;
  readonly #inner: DataGeneratorSource<NexmarkEvent>;
  readonly #paced: boolean;

  constructor(options: NexmarkSourceOptions = {}) {
    this.generatorConfig = new GeneratorConfig(options.config);
    const cfg = this.generatorConfig;
    // One generator per source object is enough: readers of one process share the event loop.
    const generator = new NexmarkEventGenerator(cfg);
    this.#inner = new DataGeneratorSource<NexmarkEvent>((i) => generator.event(i), {
      ...(options.count === undefined ? {} : { count: options.count }),
      ...(options.recordsPerSecond === undefined ? {} : { recordsPerSecond: options.recordsPerSecond }),
      timestampOf: (e) => e.dateTime,
    });
    this.boundedness = this.#inner.boundedness;
    this.#paced = options.paced === true;
  }

  createReader(ctx: SourceReaderContext, restored: unknown[] | undefined): SourceReader<NexmarkEvent> {
    const inner = this.#inner.createReader(ctx, restored);
    return this.#paced ? new PacedReader(inner, this.generatorConfig, ctx.clock) : inner;
  }

  /**
   * How far behind the newest event time of its subtask an event can be: the out-of-order group's spread
   * plus the occasional delay (each subtask's events are otherwise in event-time order).
   */
  maxOutOfOrdernessMs(): number {
    const c = this.generatorConfig.config;
    const groupMs = Math.ceil((c.outOfOrderGroupSize * this.generatorConfig.interEventDelayUs) / 1000);
    return groupMs + (c.probDelayedEvent > 0 ? c.occasionalDelaySec * 1000 : 0);
  }

  /** A watermark strategy that never makes a generated event late. */
  watermarks(): WatermarkStrategy<NexmarkEvent> {
    const c = this.generatorConfig.config;
    if (c.outOfOrderGroupSize === 1 && c.probDelayedEvent === 0)
      return WatermarkStrategy.forMonotonousTimestamps<NexmarkEvent>();
    return WatermarkStrategy.forBoundedOutOfOrderness<NexmarkEvent>(this.maxOutOfOrdernessMs());
  }
}

/** Holds a datagen reader back until the wall clock reaches the event time of its next event. */
class PacedReader implements SourceReader<NexmarkEvent> {
  readonly #inner: SourceReader<NexmarkEvent>;
  readonly #cfg: GeneratorConfig;
  readonly #clock: ProcessingTimeService;
  #timer: ScheduledCallback | undefined;
  #waiting: Promise<void> | undefined;

  constructor(inner: SourceReader<NexmarkEvent>, cfg: GeneratorConfig, clock: ProcessingTimeService) {
    this.#inner = inner;
    this.#cfg = cfg;
    this.#clock = clock;
  }

  /** The next event number of the reader's first split and its stride (undefined when done). */
  #next(): { nextIndex: number; stride: number } | undefined {
    return this.#inner.snapshotState(0)[0] as { nextIndex: number; stride: number } | undefined;
  }

  #dueMs(eventNumber: number): number {
    return this.#cfg.timestampForEvent(eventNumber);
  }

  pollNext(output: ReaderOutput<NexmarkEvent>, budget: number): InputStatus {
    const next = this.#next();
    if (next === undefined) return this.#inner.pollNext(output, budget);
    // Events up to the one whose event time is now are due.
    // Event n is due once floor(n × delayUs / 1000) <= now − baseTime, i.e. n < (now − baseTime + 1) × 1000 / delayUs.
    const c = this.#cfg;
    const lastDue = Math.ceil(((this.#clock.now() - c.config.baseTime + 1) * 1000) / c.interEventDelayUs) - 1;
    const due = Math.floor((lastDue - next.nextIndex) / next.stride) + 1;
    if (due <= 0) return 'nothing-available';
    const status = this.#inner.pollNext(output, Math.min(budget, due));
    return status === 'more-available' && due <= budget ? 'nothing-available' : status;
  }

  isAvailable(): Promise<void> {
    const next = this.#next();
    if (next === undefined) return Promise.resolve();
    const at = this.#dueMs(next.nextIndex);
    if (at <= this.#clock.now()) return this.#inner.isAvailable();
    if (this.#waiting !== undefined) return this.#waiting;
    this.#waiting = new Promise((resolve) => {
      this.#timer = this.#clock.schedule(at, () => {
        this.#timer = undefined;
        this.#waiting = undefined;
        resolve();
      });
    });
    return this.#waiting;
  }

  snapshotState(checkpointId: number): unknown[] {
    return this.#inner.snapshotState(checkpointId);
  }

  close(): void | Promise<void> {
    this.#timer?.cancel();
    return this.#inner.close();
  }
}
