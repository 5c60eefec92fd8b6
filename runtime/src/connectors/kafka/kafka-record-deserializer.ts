// How a Kafka record's bytes become a stream element. A deserializer throws on bad input; the source then
// sends the raw record to its dead-letter topic or fails the job (see KafkaSource). JSON may be validated with
// a zod schema, so malformed business data is caught at the edge, not deep in the job.
import type { ZodType } from 'zod';

export type KafkaConsumerRecord = {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly [Buffer | null, Buffer | null][];
};

export interface KafkaRecordDeserializer<T> {
  deserialize(record: KafkaConsumerRecord): T;
}

function recordValue(record: KafkaConsumerRecord): Buffer {
  if (record.value === null) throw new Error('the record has no value (a tombstone)');
  return record.value;
}

export const KafkaDeserializers = {
  /** The value as UTF-8 text. */
  string(): KafkaRecordDeserializer<string> {
    return { deserialize: (r) => recordValue(r).toString('utf8') };
  },
  /** The value's bytes, as is. */
  bytes(): KafkaRecordDeserializer<Uint8Array> {
    return { deserialize: (r) => recordValue(r) };
  },
  /** The value parsed as JSON, checked against `schema` when one is given. */
  json<T = unknown>(schema?: ZodType<T>): KafkaRecordDeserializer<T> {
    return {
      deserialize: (r) => {
        const parsed: unknown = JSON.parse(recordValue(r).toString('utf8'));
        if (schema === undefined) return parsed as T;
        const result = schema.safeParse(parsed);
        if (!result.success) {
          const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
          throw new Error(`the value does not match the schema: ${issues.join('; ')}`);
        }
        return result.data;
      },
    };
  },
  /** A function of the whole record (key, headers, topic, partition, offset, timestamp). */
  of<T>(fn: (record: KafkaConsumerRecord) => T): KafkaRecordDeserializer<T> {
    return { deserialize: fn };
  },
};
