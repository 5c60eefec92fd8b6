// StreamExecutionEnvironment: where a job is built and run. Every DataStream call records a Transformation
// here; execute() turns them into a StreamGraph and a JobGraph and runs it.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CheckpointConfig, DEFAULT_CHECKPOINT_CONFIG } from '../checkpoint/checkpoint-coordinator.ts';
import { checkpointStorageFor } from '../checkpoint/checkpoint-storage-for.ts';
import { CollectionSource } from '../connectors/collection-source.ts';
import type { JobExecutionResult } from '../execution/job-execution-result.ts';
import { LocalExecutor } from '../execution/local-executor.ts';
import { buildJobGraph, type JobGraph } from '../graph/job-graph.ts';
import { buildStreamGraph, InvalidJobGraphError, type StreamGraph } from '../graph/stream-graph.ts';
import type { Transformation } from '../graph/transformation.ts';
import { TimestampsAndWatermarksOperator } from '../operators/timestamps-and-watermarks-operator.ts';
import { checkParallelism, DEFAULT_MAX_PARALLELISM } from '../state/key-group-range.ts';
import { parseStateBackend, type StateBackendConfig } from '../state/state-backend-config.ts';
import { type ProcessingTimeService, SystemProcessingTimeService } from '../time/processing-time-service.ts';
import type { WatermarkStrategy } from '../time/watermark-strategy.ts';
import { DataStreamSource, type SingleOutputStreamOperator } from './data-stream.ts';
import './keyed-stream.ts'; // registers KeyedStream for DataStream.keyBy
import type { Source } from './source.ts';

export type ExecutionConfig = {
  parallelism: number;
  maxParallelism: number;
  /** Periodic watermark emission interval in ms (Flink's pipeline.auto-watermark-interval, default 200). */
  autoWatermarkInterval: number;
  chaining: boolean;
  clock: ProcessingTimeService;
  /** Records per batch on exchanges between subtasks. */
  batchSize: number;
  /** Periodic checkpoints; off unless enableCheckpointing() is called. */
  checkpointing: CheckpointSettings | undefined;
  /** Where keyed state lives: on the heap (default) or on disk in LMDB. */
  stateBackend: StateBackendConfig;
};

export type CheckpointSettings = Omit<CheckpointConfig, 'intervalMs'> & {
  readonly intervalMs: number;
  /** file:// URI or path of the checkpoint directory. */
  readonly storage: string;
};

export type ExecuteOptions = {
  /** Restore from this checkpoint or savepoint directory (…/<job id>/chk-<n>). */
  readonly fromCheckpoint?: string;
  /** Drop state of operators the job no longer has instead of refusing the restore. */
  readonly allowNonRestoredState?: boolean;
  readonly jobId?: string;
};

type Distributive<T> = T extends unknown ? Omit<T, 'id'> : never;

export class StreamExecutionEnvironment {
  readonly config: ExecutionConfig;
  readonly transformations: Transformation[] = [];
  #nextId = 1;

  constructor(config: Partial<ExecutionConfig> = {}) {
    this.config = {
      parallelism: 1,
      maxParallelism: DEFAULT_MAX_PARALLELISM,
      autoWatermarkInterval: 200,
      chaining: true,
      clock: new SystemProcessingTimeService(),
      batchSize: 512,
      checkpointing: undefined,
      stateBackend: parseStateBackend(process.env.RIFFLE_STATE_BACKEND, 'RIFFLE_STATE_BACKEND'),
      ...config,
    };
    checkParallelism(this.config.maxParallelism, this.config.parallelism);
  }

  static getExecutionEnvironment(config: Partial<ExecutionConfig> = {}): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment(config);
  }

  setParallelism(parallelism: number): this {
    checkParallelism(this.config.maxParallelism, parallelism);
    this.config.parallelism = parallelism;
    return this;
  }

  getParallelism(): number {
    return this.config.parallelism;
  }

  /** The number of key groups; fixed for the life of a job's state. Default 128. */
  setMaxParallelism(maxParallelism: number): this {
    checkParallelism(maxParallelism, Math.min(this.config.parallelism, maxParallelism));
    this.config.maxParallelism = maxParallelism;
    return this;
  }

  getMaxParallelism(): number {
    return this.config.maxParallelism;
  }

  setAutoWatermarkInterval(ms: number): this {
    if (!(ms >= 0)) throw new RangeError(`auto watermark interval must be >= 0 ms, got ${ms}`);
    this.config.autoWatermarkInterval = ms;
    return this;
  }

  /**
   * Takes a consistent snapshot of all state every `intervalMs` (barriers from the sources, aligned for
   * exactly-once), into `storage` (a file:// URI or path; default under the OS temp directory).
   */
  enableCheckpointing(
    intervalMs: number,
    options: Partial<Omit<CheckpointSettings, 'intervalMs'>> = {},
  ): this {
    if (!(intervalMs >= 10))
      throw new RangeError(`checkpoint interval must be at least 10 ms, got ${intervalMs}`);
    this.config.checkpointing = {
      ...DEFAULT_CHECKPOINT_CONFIG,
      storage: join(tmpdir(), 'riffle-checkpoints'),
      ...options,
      intervalMs,
    };
    return this;
  }

  /**
   * Chooses where keyed state lives: `{ type: 'hashmap' }` on the JavaScript heap (the default, fastest) or
   * `{ type: 'lmdb', directory?, cacheEntries? }` on local disk, for state larger than memory. Snapshots have
   * the same format either way, so a job can switch backends through a savepoint.
   */
  setStateBackend(config: StateBackendConfig): this {
    this.config.stateBackend = config;
    return this;
  }

  disableOperatorChaining(): this {
    this.config.chaining = false;
    return this;
  }

  /** @internal Records a transformation and gives it the next id. */
  add<T extends Transformation>(t: Distributive<T>): T {
    const withId = { ...t, id: this.#nextId++ } as unknown as T;
    this.transformations.push(withId);
    return withId;
  }

  fromSource<T>(
    source: Source<T>,
    strategy: WatermarkStrategy<T> | undefined,
    name: string,
  ): SingleOutputStreamOperator<T> {
    if (typeof source?.createReader !== 'function') {
      throw new TypeError(`fromSource("${name}"): the first argument must be a Source with createReader()`);
    }
    const t = this.add<Transformation & { kind: 'source' }>({
      kind: 'source',
      source: source as Source<unknown>,
      name: `Source: ${name}`,
      uid: undefined,
      parallelism: undefined,
      maxParallelism: undefined,
      recordErrors: undefined,
      chaining: true,
    });
    const stream = new DataStreamSource<T>(this, t);
    if (strategy === undefined) return stream;
    return stream.transform<T>('Timestamps/Watermarks', () => new TimestampsAndWatermarksOperator(strategy));
  }

  /** A bounded stream of the given elements; `timestampOf` gives each its event time. */
  fromCollection<T>(
    elements: readonly T[],
    timestampOf?: (value: T, index: number) => number,
  ): DataStreamSource<T> {
    const t = this.add<Transformation & { kind: 'source' }>({
      kind: 'source',
      source: new CollectionSource(elements, timestampOf) as Source<unknown>,
      name: 'Source: Collection',
      uid: undefined,
      parallelism: undefined,
      maxParallelism: undefined,
      recordErrors: undefined,
      chaining: true,
    });
    return new DataStreamSource<T>(this, t);
  }

  fromElements<T>(...elements: T[]): DataStreamSource<T> {
    return this.fromCollection(elements);
  }

  getStreamGraph(jobName = 'riffle-job'): StreamGraph {
    return buildStreamGraph(jobName, this.transformations, {
      parallelism: this.config.parallelism,
      maxParallelism: this.config.maxParallelism,
      chaining: this.config.chaining,
    });
  }

  getJobGraph(jobName = 'riffle-job'): JobGraph {
    return buildJobGraph(this.getStreamGraph(jobName));
  }

  /** Starts the job and returns at once with a handle to it. */
  executeAsync(jobName = 'riffle-job', options: ExecuteOptions = {}): LocalExecutor {
    if (this.transformations.length === 0) {
      throw new InvalidJobGraphError(
        'the job is empty: create a stream with fromSource/fromCollection and add a sink',
      );
    }
    const cp = this.config.checkpointing;
    return new LocalExecutor(this.getJobGraph(jobName), {
      clock: this.config.clock,
      autoWatermarkInterval: this.config.autoWatermarkInterval,
      batchSize: this.config.batchSize,
      stateBackend: this.config.stateBackend,
      ...(cp === undefined ? {} : { checkpointing: { ...cp, storage: checkpointStorageFor(cp.storage) } }),
      ...options,
    });
  }

  /** Runs the job to completion (bounded inputs) or until cancelled. */
  execute(jobName = 'riffle-job', options: ExecuteOptions = {}): Promise<JobExecutionResult> {
    return this.executeAsync(jobName, options).result;
  }
}
