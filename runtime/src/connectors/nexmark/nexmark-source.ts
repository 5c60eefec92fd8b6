// NexmarkSource: the Nexmark generator as a Riffle source. Bounded by `count` events or unbounded; event
// time comes from the event number and the configured rate (NexmarkConfig.eventsPerSecond), never from the
// wall clock. `recordsPerSecond` optionally throttles emission in wall-clock time as well.
//
// Splits are those of DataGeneratorSource (which this delegates to): subtask s of p makes event numbers
// s, s+p, s+2p, ...; a snapshot is one {nextIndex, stride} per split, and a restore at another
// parallelism redistributes them. Whatever the parallelism, the union of the output is the same events.
import type { Source, SourceReader, SourceReaderContext } from '../../api/source.ts';
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
};

export class NexmarkSource implements Source<NexmarkEvent> {
  readonly boundedness: 'bounded' | 'unbounded';
  readonly generatorConfig: GeneratorConfig;
  readonly #inner: DataGeneratorSource<NexmarkEvent>;

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
  }

  createReader(ctx: SourceReaderContext, restored: unknown[] | undefined): SourceReader<NexmarkEvent> {
    return this.#inner.createReader(ctx, restored);
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
