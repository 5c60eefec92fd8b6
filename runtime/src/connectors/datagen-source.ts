// DataGeneratorSource (Flink's name): record i = generator(i, rng seeded by (seed, i)). Bounded by `count`
// or unbounded; optionally rate-limited (records per second across all subtasks). Subtask s of p makes
// indices s, s+p, s+2p, ... so the union of all subtasks is the same records at any parallelism. Its
// position (the next index) is its snapshot state.
import type { InputStatus, ReaderOutput, Source, SourceReader, SourceReaderContext } from '../api/source.ts';
import type { ProcessingTimeService } from '../time/processing-time-service.ts';
import { SeededRandom } from './seeded-random.ts';

export type DataGeneratorOptions<T> = {
  /** Number of records; unbounded when absent. */
  readonly count?: number;
  /** Records per second over all subtasks; as fast as possible when absent. */
  readonly recordsPerSecond?: number;
  readonly seed?: number;
  /** Event time of a record (its timestamp as the source emits it), if the source should assign one. */
  readonly timestampOf?: (value: T, index: number) => number;
};

export type Generator<T> = (index: number, rng: SeededRandom) => T;

export class DataGeneratorSource<T> implements Source<T> {
  readonly boundedness: 'bounded' | 'unbounded';
  readonly #generator: Generator<T>;
  readonly #options: DataGeneratorOptions<T>;

  constructor(generator: Generator<T>, options: DataGeneratorOptions<T> = {}) {
    if (typeof generator !== 'function')
      throw new TypeError('DataGeneratorSource needs a generator (index, rng) => record');
    if (options.count !== undefined && !(Number.isInteger(options.count) && options.count >= 0)) {
      throw new RangeError(`DataGeneratorSource count must be a non-negative integer, got ${options.count}`);
    }
    if (options.recordsPerSecond !== undefined && !(options.recordsPerSecond > 0)) {
      throw new RangeError(
        `DataGeneratorSource recordsPerSecond must be positive, got ${options.recordsPerSecond}`,
      );
    }
    this.#generator = generator;
    this.#options = options;
    this.boundedness = options.count === undefined ? 'unbounded' : 'bounded';
  }

  createReader(ctx: SourceReaderContext, restored: unknown[] | undefined): SourceReader<T> {
    const next = (restored?.[0] as { nextIndex?: number } | undefined)?.nextIndex ?? ctx.subtaskIndex;
    const rate =
      this.#options.recordsPerSecond === undefined
        ? undefined
        : this.#options.recordsPerSecond / ctx.parallelism;
    return new DataGeneratorReader(this.#generator, this.#options, next, ctx.parallelism, rate, ctx.clock);
  }
}

class DataGeneratorReader<T> implements SourceReader<T> {
  readonly #generator: Generator<T>;
  readonly #count: number;
  readonly #seed: number;
  readonly #timestampOf: ((value: T, index: number) => number) | undefined;
  readonly #step: number;
  readonly #ratePerMs: number | undefined;
  readonly #clock: ProcessingTimeService;
  readonly #rng: SeededRandom;
  #next: number;
  #tokens = 0;
  #lastRefill: number;

  constructor(
    generator: Generator<T>,
    options: DataGeneratorOptions<T>,
    next: number,
    step: number,
    ratePerSecond: number | undefined,
    clock: ProcessingTimeService,
  ) {
    this.#generator = generator;
    this.#count = options.count ?? Number.POSITIVE_INFINITY;
    this.#seed = options.seed ?? 42;
    this.#timestampOf = options.timestampOf;
    this.#next = next;
    this.#step = step;
    this.#ratePerMs = ratePerSecond === undefined ? undefined : ratePerSecond / 1000;
    this.#clock = clock;
    this.#lastRefill = clock.now();
    this.#rng = new SeededRandom(this.#seed, 0);
  }

  pollNext(output: ReaderOutput<T>, budget: number): InputStatus {
    let n = budget;
    if (this.#ratePerMs !== undefined) {
      const now = this.#clock.now();
      // Up to 100 ms of tokens may accumulate, so a paused reader does not burst without bound.
      this.#tokens = Math.min(
        this.#tokens + (now - this.#lastRefill) * this.#ratePerMs,
        Math.max(1, this.#ratePerMs * 100),
      );
      this.#lastRefill = now;
      n = Math.min(n, Math.floor(this.#tokens));
      if (n <= 0) return this.#next < this.#count ? 'nothing-available' : 'end-of-input';
      this.#tokens -= n;
    }
    const gen = this.#generator;
    const rng = this.#rng;
    const seed = this.#seed;
    const ts = this.#timestampOf;
    let i = this.#next;
    const step = this.#step;
    const count = this.#count;
    for (let k = 0; k < n && i < count; k++, i += step) {
      const v = gen(i, rng.reset(seed, i));
      if (ts === undefined) output.collect(v);
      else output.collect(v, ts(v, i));
    }
    this.#next = i;
    if (i >= count) return 'end-of-input';
    return this.#ratePerMs === undefined ? 'more-available' : 'nothing-available';
  }

  isAvailable(): Promise<void> {
    if (this.#ratePerMs === undefined) return Promise.resolve();
    const waitMs = Math.max(1, Math.ceil((1 - this.#tokens) / this.#ratePerMs));
    return new Promise((resolve) => {
      this.#clock.schedule(this.#clock.now() + waitMs, () => resolve());
    });
  }

  snapshotState(): unknown[] {
    return [{ nextIndex: this.#next }];
  }

  close(): void {}
}
