// How a stream element becomes a Kafka record: topic (fixed or chosen per element), key, value, headers and
// optionally a partition. Records with the same key land in the same partition (Kafka's murmur2 default).

export type KafkaProducerRecord = {
  readonly topic: string;
  readonly key?: Buffer;
  readonly value: Buffer | null;
  readonly partition?: number;
  readonly headers?: Map<Buffer, Buffer>;
};

export interface KafkaRecordSerializer<T> {
  serialize(element: T, timestamp: number): KafkaProducerRecord;
}

type Encode<T> = (element: T) => Buffer;

export type SerializerOptions<T> = {
  /** A fixed topic, or one chosen per element. */
  readonly topic: string | ((element: T) => string);
  /** The record key; records with equal keys go to the same partition. */
  readonly key?: (element: T) => string | Buffer | undefined;
  /** Picks the partition explicitly (overrides the key-hash partitioner). */
  readonly partition?: (element: T) => number | undefined;
  readonly headers?: (element: T) => Record<string, string>;
};

function build<T>(options: SerializerOptions<T>, encode: Encode<T>): KafkaRecordSerializer<T> {
  const topicOf = typeof options.topic === 'string' ? () => options.topic as string : options.topic;
  return {
    serialize(element: T): KafkaProducerRecord {
      const key = options.key?.(element);
      const partition = options.partition?.(element);
      const headers = options.headers?.(element);
      return {
        topic: topicOf(element),
        value: encode(element),
        ...(key === undefined ? {} : { key: typeof key === 'string' ? Buffer.from(key) : key }),
        ...(partition === undefined ? {} : { partition }),
        ...(headers === undefined
          ? {}
          : { headers: new Map(Object.entries(headers).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])) }),
      };
    },
  };
}

export const KafkaSerializers = {
  json<T>(options: SerializerOptions<T>): KafkaRecordSerializer<T> {
    return build(options, (e) => Buffer.from(JSON.stringify(e)));
  },
  string(options: SerializerOptions<string>): KafkaRecordSerializer<string> {
    return build(options, (e) => Buffer.from(e));
  },
  bytes(options: SerializerOptions<Uint8Array>): KafkaRecordSerializer<Uint8Array> {
    return build(options, (e) => Buffer.from(e.buffer, e.byteOffset, e.byteLength));
  },
};
