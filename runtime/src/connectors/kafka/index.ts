// Kafka connectors: the public pieces.

export type { KafkaPartitionSplit } from './kafka-partition-split.ts';
export {
  type KafkaConsumerRecord,
  KafkaDeserializers,
  type KafkaRecordDeserializer,
} from './kafka-record-deserializer.ts';
export {
  type KafkaProducerRecord,
  type KafkaRecordSerializer,
  KafkaSerializers,
  type SerializerOptions,
} from './kafka-record-serializer.ts';
export { type DeliveryGuarantee, KafkaSink, type KafkaSinkOptions } from './kafka-sink.ts';
export { InvalidKafkaOptionsError, KafkaSource, type KafkaSourceOptions } from './kafka-source.ts';
export { OffsetsInitializer, type StartingOffsets } from './starting-offsets.ts';
