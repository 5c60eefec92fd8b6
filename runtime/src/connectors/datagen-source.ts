// DataGeneratorSource (Flink's name): record i = generator(i, rng seeded by (seed, i)). Bounded by `count`
// or unbounded; optionally rate-limited (records per second across all subtasks).
//
// Partitioning: the index space is split round-robin, not in ranges. Subtask s of p makes indices
// s, s+p, s+2p, ... (a split {nextIndex: s, stride: p}), so the union of all subtasks is the same records at
// any parallelism, and an unbounded source needs no range end. A snapshot is one {nextIndex, stride} per
// split the reader owns; restored at another parallelism, a reader may own several splits (it serves them
// in turn) or none (it ends at once).
import type { InputStatus, ReaderOutput, Source, SourceReader, SourceReaderContext } from '../api/source.ts';
import type { ProcessingTimeService, ScheduledCallback } from '../time/processing-time-service.ts';
import { SeededRandom } from './seeded-random.ts';

export type DataGeneratorOptions<T> = {
  /** Number of records; unbounded when absent. */
  readonly count?: number;
  /** Records per second over all subtasks; as fast as possible when absent. */
  readonly recordsPerSecond?: number;
  /** Seeds every record's random stream; 42 when absent. */
  readonly seed?: number;
  /** Event time of a record (its timestamp as the source emits it), if the source should assign one. */
  readonly timestampOf?: (value: T, index: number) => number;
};

export type Generator<T> = (index: number, rng: SeededRandom) => T;

/** The position of one round-robin share of the index space: the next index it makes, and its step. */
export type DataGeneratorSplit = { readonly nextIndex: number; readonly stride: number };

/** How many milliseconds of unused rate may accumulate, so a paused reader does not burst without bound. */
const MAX_BURST_MS = 10;

export class DataGeneratorSource<T> implements Source<T> {
  readonly boundedness: 'bounded' | 'unbounded';
  readonly #generator: Generator<T>;
  readonly #options: DataGeneratorOptions<T>;

  constructor(generator: Generator<T>, options: DataGeneratorOptions<T> = {}) {
    if (typeof generator !== 'function')
      throw new TypeError('DataGeneratorSource needs a generator (index, rng) => record');
    if (options.count !== undefined && !(Number.isSafeInteger(options.count) && options.count >= 0)) {
      throw new RangeError(`DataGeneratorSource count must be a non-negative integer, got ${options.count}`);
    }
    const rate = options.recordsPerSecond;
    if (rate !== undefined && !(rate > 0 && Number.isFinite(rate))) {
      throw new RangeError(
        `DataGeneratorSource recordsPerSecond must be positive, got ${rate}; leave it out for no rate limit`,
      );
    }
    this.#generator = generator;
    this.#options = options;
    this.boundedness = options.count === undefined ? 'unbounded' : 'bounded';
  }

  createReader(ctx: SourceReaderContext, restored: unknown[] | undefined): SourceReader<T> {
    const splits =
      restored === undefined
        ? [{ nextIndex: ctx.subtaskIndex, stride: ctx.parallelism }]
        : restored.map((s) => toSplit(s, ctx.parallelism));
    const rate = this.#options.recordsPerSecond;
    return new DataGeneratorReader(
      this.#generator,
      this.#options,
      splits,
      rate === undefined ? undefined : rate / ctx.parallelism / 1000,
      ctx.clock,
    );
  }
}

function toSplit(state: unknown, parallelism: number): { nextIndex: number; stride: number } {
  const s = state as Partial<DataGeneratorSplit> | null;
  if (s === null || typeof s !== 'object' || !Number.isSafeInteger(s.nextIndex)) {
    throw new TypeError(`DataGeneratorSource cannot restore from ${JSON.stringify(state)}`);
  }
  return { nextIndex: s.nextIndex!, stride: s.stride ?? parallelism };
}

class DataGeneratorReader<T> implements SourceReader<T> {
  readonly #generator: Generator<T>;
  readonly #count: number;
  readonly #seed: number;
  readonly #timestampOf: ((value: T, index: number) => number) | undefined;
  readonly #ratePerMs: number | undefined;
  readonly #clock: ProcessingTimeService;
  readonly #rng: SeededRandom;
  readonly #splits: { nextIndex: number; stride: number }[];
  /** The split the next pollNext serves (several splits only after a restore at lower parallelism). */
  #turn = 0;
  #tokens = 0;
  #lastRefill: number;
  #timer: ScheduledCallback | undefined;
  #waiting: Promise<void> | undefined;

  constructor(
    generator: Generator<T>,
    options: DataGeneratorOptions<T>,
    splits: { nextIndex: number; stride: number }[],
    ratePerMs: number | undefined,
    clock: ProcessingTimeService,
  ) {
    this.#generator = generator;
    this.#count = options.count ?? Number.POSITIVE_INFINITY;
    this.#seed = options.seed ?? 42;
    this.#timestampOf = options.timestampOf;
    this.#splits = splits.filter((s) => s.nextIndex < this.#count);
    this.#ratePerMs = ratePerMs;
    this.#clock = clock;
    this.#lastRefill = clock.now();
    this.#rng = new SeededRandom(this.#seed, 0);
  }

  pollNext(output: ReaderOutput<T>, budget: number): InputStatus {
    if (this.#splits.length === 0) return 'end-of-input';
    let n = budget;
    if (this.#ratePerMs !== undefined) {
      const now = this.#clock.now();
      this.#tokens = Math.min(
        this.#tokens + (now - this.#lastRefill) * this.#ratePerMs,
        Math.max(1, this.#ratePerMs * MAX_BURST_MS),
      );
      this.#lastRefill = now;
      n = Math.min(n, Math.floor(this.#tokens));
      if (n <= 0) return 'nothing-available';
    }
    if (this.#turn >= this.#splits.length) this.#turn = 0;
    const split = this.#splits[this.#turn]!;
    const gen = this.#generator;
    const rng = this.#rng;
    const seed = this.#seed;
    const ts = this.#timestampOf;
    const step = split.stride;
    const count = this.#count;
    let i = split.nextIndex;
    let k = 0;
    if (ts === undefined) {
      for (; k < n && i < count; k++, i += step) output.collect(gen(i, rng.reset(seed, i)));
    } else {
      for (; k < n && i < count; k++, i += step) {
        const v = gen(i, rng.reset(seed, i));
        output.collect(v, ts(v, i));
      }
    }
    split.nextIndex = i;
    if (this.#ratePerMs !== undefined) this.#tokens -= k;
    if (i >= count) this.#splits.splice(this.#turn, 1);
    else this.#turn++;
    if (this.#splits.length === 0) return 'end-of-input';
    return this.#ratePerMs === undefined || this.#tokens >= 1 ? 'more-available' : 'nothing-available';
  }

  /** Resolves at once without a rate limit; with one, when the clock has made a whole token. */
  isAvailable(): Promise<void> {
    if (this.#ratePerMs === undefined || this.#tokens >= 1) return Promise.resolve();
    if (this.#waiting !== undefined) return this.#waiting;
    const waitMs = Math.max(1, Math.ceil((1 - this.#tokens) / this.#ratePerMs));
    this.#waiting = new Promise((resolve) => {
      this.#timer = this.#clock.schedule(this.#clock.now() + waitMs, () => {
        this.#timer = undefined;
        this.#waiting = undefined;
        resolve();
      });
    });
    return this.#waiting;
  }

  snapshotState(): DataGeneratorSplit[] {
    return this.#splits.map((s) => ({ nextIndex: s.nextIndex, stride: s.stride }));
  }

  close(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
