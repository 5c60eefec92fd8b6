// KafkaSource: reads topics (a list or a pattern) with one reader per subtask. Partitions are owned by
// subtasks (partitionOwner), positions are the checkpoint's split states, and offsets are committed back to
// the consumer group only after a checkpoint completes (for monitoring; the checkpoint is the truth).
// Watermarks can be generated per partition (watermarkStrategy) and are merged by minimum, with idleness.
// A record the deserializer rejects goes to the dead-letter topic when one is set (with its topic,
// partition and offset in headers), otherwise to the source's onRecordError policy (fail, by default).
import type { Boundedness, Source, SourceReader, SourceReaderContext } from '../../api/source.ts';
import type { WatermarkStrategy } from '../../time/watermark-strategy.ts';
import { assignKafkaSplits, toKafkaPartitionSplit } from './kafka-partition-split.ts';
import type { KafkaRecordDeserializer } from './kafka-record-deserializer.ts';
import { KafkaSourceReader } from './kafka-source-reader.ts';
import { OffsetsInitializer, type StartingOffsets } from './starting-offsets.ts';

export type KafkaSourceOptions<T> = {
  /** host:port, comma separated or a list. */
  readonly bootstrapServers: string | readonly string[];
  readonly topics?: readonly string[];
  /** Every topic whose name matches; new matching topics are picked up by partition discovery. */
  readonly topicPattern?: RegExp;
  readonly deserializer: KafkaRecordDeserializer<T>;
  /** Consumer group for committed start offsets and for committing offsets after checkpoints. */
  readonly groupId?: string;
  /** Where partitions start when not restored; default earliest. */
  readonly startingOffsets?: StartingOffsets;
  /** 'latest': stop at the end offsets seen at start, then end the input (bounded); default unbounded. */
  readonly stoppingOffsets?: 'latest';
  /** Generates watermarks per partition and merges them; pass undefined to fromSource then. */
  readonly watermarkStrategy?: WatermarkStrategy<T>;
  readonly deadLetterTopic?: string;
  /** How often new partitions (and pattern topics) are looked for; default 5 min; 0 disables. */
  readonly partitionDiscoveryIntervalMs?: number;
  /** Commit offsets to `groupId` after each completed checkpoint; default true when groupId is set. */
  readonly commitOffsetsOnCheckpoint?: boolean;
  /** Default read_committed: records of open or aborted transactions are never read. */
  readonly isolationLevel?: 'read_committed' | 'read_uncommitted';
  readonly clientId?: string;
  /** Records fetched ahead of the job per reader; default 20 000. */
  readonly maxBufferedRecords?: number;
  /** How long the broker may hold a fetch waiting for data; default 100 ms. */
  readonly fetchMaxWaitMs?: number;
  /** Per-partition watermark emission period; default 200 ms. */
  readonly autoWatermarkIntervalMs?: number;
};

export type ResolvedKafkaSourceOptions<T> = Required<
  Omit<
    KafkaSourceOptions<T>,
    | 'topics'
    | 'topicPattern'
    | 'groupId'
    | 'stoppingOffsets'
    | 'watermarkStrategy'
    | 'deadLetterTopic'
    | 'bootstrapServers'
  >
> & {
  readonly bootstrapServers: string[];
  readonly topics: readonly string[] | undefined;
  readonly topicPattern: RegExp | undefined;
  readonly groupId: string | undefined;
  readonly stoppingOffsets: 'latest' | undefined;
  readonly watermarkStrategy: WatermarkStrategy<T> | undefined;
  readonly deadLetterTopic: string | undefined;
};

export class InvalidKafkaOptionsError extends Error {
  constructor(what: string, field: string, problem: string) {
    super(`${what} option "${field}": ${problem}`);
    this.name = 'InvalidKafkaOptionsError';
  }
}

export function parseBootstrapServers(value: unknown, what: string): string[] {
  const list = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  const servers = list?.map((s) => String(s).trim()).filter((s) => s !== '');
  if (servers === undefined || servers.length === 0 || servers.some((s) => !/^[^:\s]+:\d+$/.test(s))) {
    throw new InvalidKafkaOptionsError(
      what,
      'bootstrapServers',
      `expected host:port[,host:port...], got ${JSON.stringify(value)}`,
    );
  }
  return servers;
}

function positive(
  what: string,
  field: string,
  value: number | undefined,
  fallback: number,
  zeroOk = false,
): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (!zeroOk && value === 0)) {
    throw new InvalidKafkaOptionsError(
      what,
      field,
      `expected a ${zeroOk ? 'non-negative' : 'positive'} number, got ${value}`,
    );
  }
  return value;
}

export function resolveKafkaSourceOptions<T>(o: KafkaSourceOptions<T>): ResolvedKafkaSourceOptions<T> {
  const what = 'KafkaSource';
  const servers = parseBootstrapServers(o.bootstrapServers, what);
  if ((o.topics === undefined) === (o.topicPattern === undefined)) {
    throw new InvalidKafkaOptionsError(
      what,
      'topics',
      'give exactly one of topics (a list) or topicPattern (a RegExp)',
    );
  }
  if (
    o.topics !== undefined &&
    (o.topics.length === 0 || o.topics.some((t) => typeof t !== 'string' || t === ''))
  ) {
    throw new InvalidKafkaOptionsError(
      what,
      'topics',
      `expected a non-empty list of topic names, got ${JSON.stringify(o.topics)}`,
    );
  }
  if (typeof o.deserializer?.deserialize !== 'function') {
    throw new InvalidKafkaOptionsError(
      what,
      'deserializer',
      'expected a deserializer, e.g. KafkaDeserializers.json(schema)',
    );
  }
  const start = o.startingOffsets ?? OffsetsInitializer.earliest();
  if (start.kind === 'committed' && o.groupId === undefined) {
    throw new InvalidKafkaOptionsError(
      what,
      'groupId',
      'committed starting offsets need the consumer group (groupId)',
    );
  }
  if (o.stoppingOffsets !== undefined && o.stoppingOffsets !== 'latest') {
    throw new InvalidKafkaOptionsError(
      what,
      'stoppingOffsets',
      `only 'latest' is supported, got ${JSON.stringify(o.stoppingOffsets)}`,
    );
  }
  const isolation = o.isolationLevel ?? 'read_committed';
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
    throw new InvalidKafkaOptionsError(
      what,
      'isolationLevel',
      `expected read_committed or read_uncommitted, got ${JSON.stringify(isolation)}`,
    );
  }
  return {
    bootstrapServers: servers,
    topics: o.topics,
    topicPattern: o.topicPattern,
    deserializer: o.deserializer,
    groupId: o.groupId,
    startingOffsets: start,
    stoppingOffsets: o.stoppingOffsets,
    watermarkStrategy: o.watermarkStrategy,
    deadLetterTopic: o.deadLetterTopic,
    // bounded sources read a fixed set of partitions
    partitionDiscoveryIntervalMs:
      o.stoppingOffsets === undefined
        ? positive(what, 'partitionDiscoveryIntervalMs', o.partitionDiscoveryIntervalMs, 300_000, true)
        : 0,
    commitOffsetsOnCheckpoint: o.commitOffsetsOnCheckpoint ?? o.groupId !== undefined,
    isolationLevel: isolation,
    clientId: o.clientId ?? 'riffle-kafka-source',
    maxBufferedRecords: positive(what, 'maxBufferedRecords', o.maxBufferedRecords, 20_000),
    fetchMaxWaitMs: positive(what, 'fetchMaxWaitMs', o.fetchMaxWaitMs, 100),
    autoWatermarkIntervalMs: positive(what, 'autoWatermarkIntervalMs', o.autoWatermarkIntervalMs, 200),
  };
}

export class KafkaSource<T> implements Source<T> {
  readonly boundedness: Boundedness;
  readonly options: ResolvedKafkaSourceOptions<T>;

  constructor(options: KafkaSourceOptions<T>) {
    this.options = resolveKafkaSourceOptions(options);
    this.boundedness = this.options.stoppingOffsets === undefined ? 'unbounded' : 'bounded';
  }

  createReader(ctx: SourceReaderContext, restored: unknown[] | undefined): SourceReader<T> {
    const splits = restored?.map((s) => toKafkaPartitionSplit(s, ctx.operatorName));
    return new KafkaSourceReader(this.options, ctx, splits);
  }

  assignSplits(splits: unknown[], parallelism: number): unknown[][] {
    return assignKafkaSplits(splits, parallelism);
  }
}
