// KafkaSink (Flink's KafkaSink, Sink V2). Delivery guarantees:
// - 'none': records are sent in batches, never waited for at checkpoints.
// - 'at-least-once': every checkpoint waits until the broker acknowledged everything written before it.
// - 'exactly-once': each subtask writes into a Kafka transaction with id `<prefix>-<subtask>-<n>`, sealed
//   (flushed) at the barrier and committed once the checkpoint completes; committables restored from a
//   checkpoint are committed after a restore, lingering transactions of a failed attempt are aborted at start.
//   Read the output with isolation level read_committed; it becomes visible one checkpoint later.
import type { Sink, SinkContext, SinkWriter } from '../../api/sink.ts';
import type { KafkaRecordSerializer } from './kafka-record-serializer.ts';
import { KafkaSinkWriter } from './kafka-sink-writer.ts';
import { InvalidKafkaOptionsError, parseBootstrapServers } from './kafka-source.ts';

export type DeliveryGuarantee = 'none' | 'at-least-once' | 'exactly-once';

export type KafkaSinkOptions<T> = {
  readonly bootstrapServers: string | readonly string[];
  readonly serializer: KafkaRecordSerializer<T>;
  /** Default at-least-once. */
  readonly deliveryGuarantee?: DeliveryGuarantee;
  /** Required for exactly-once; stable across restarts and unique per sink (e.g. the job and sink name). */
  readonly transactionalIdPrefix?: string;
  /** Transaction timeout; must exceed the longest checkpoint interval plus recovery; default 1 h. */
  readonly transactionTimeoutMs?: number;
  readonly clientId?: string;
  /** Records per produce request; default 1000. */
  readonly batchSize?: number;
  /** How long a partial batch may wait before it is sent; default 5 ms. */
  readonly lingerMs?: number;
};

export type ResolvedKafkaSinkOptions<T> = {
  readonly bootstrapServers: string[];
  readonly serializer: KafkaRecordSerializer<T>;
  readonly deliveryGuarantee: DeliveryGuarantee;
  readonly transactionalIdPrefix: string | undefined;
  readonly transactionTimeoutMs: number;
  readonly clientId: string;
  readonly batchSize: number;
  readonly lingerMs: number;
};

export function resolveKafkaSinkOptions<T>(o: KafkaSinkOptions<T>): ResolvedKafkaSinkOptions<T> {
  const what = 'KafkaSink';
  const guarantee = o.deliveryGuarantee ?? 'at-least-once';
  if (!['none', 'at-least-once', 'exactly-once'].includes(guarantee)) {
    throw new InvalidKafkaOptionsError(
      what,
      'deliveryGuarantee',
      `expected none, at-least-once or exactly-once, got ${JSON.stringify(guarantee)}`,
    );
  }
  if (typeof o.serializer?.serialize !== 'function') {
    throw new InvalidKafkaOptionsError(
      what,
      'serializer',
      'expected a serializer, e.g. KafkaSerializers.json({ topic })',
    );
  }
  if (
    guarantee === 'exactly-once' &&
    (typeof o.transactionalIdPrefix !== 'string' || !/^[\w.-]+$/.test(o.transactionalIdPrefix))
  ) {
    throw new InvalidKafkaOptionsError(
      what,
      'transactionalIdPrefix',
      `exactly-once needs a stable prefix of letters, digits, '.', '_' or '-', got ${JSON.stringify(o.transactionalIdPrefix)}`,
    );
  }
  const num = (field: string, v: number | undefined, d: number) => {
    if (v === undefined) return d;
    if (!Number.isFinite(v) || v < 0)
      throw new InvalidKafkaOptionsError(what, field, `expected a non-negative number, got ${v}`);
    return v;
  };
  return {
    bootstrapServers: parseBootstrapServers(o.bootstrapServers, what),
    serializer: o.serializer,
    deliveryGuarantee: guarantee,
    transactionalIdPrefix: o.transactionalIdPrefix,
    transactionTimeoutMs: num('transactionTimeoutMs', o.transactionTimeoutMs, 3_600_000),
    clientId: o.clientId ?? 'riffle-kafka-sink',
    batchSize: Math.max(1, num('batchSize', o.batchSize, 1000)),
    lingerMs: num('lingerMs', o.lingerMs, 5),
  };
}

export class KafkaSink<T> implements Sink<T> {
  readonly options: ResolvedKafkaSinkOptions<T>;

  constructor(options: KafkaSinkOptions<T>) {
    this.options = resolveKafkaSinkOptions(options);
  }

  async createWriter(ctx: SinkContext): Promise<SinkWriter<T>> {
    const writer = new KafkaSinkWriter(this.options, ctx);
    await writer.start();
    return writer;
  }
}
