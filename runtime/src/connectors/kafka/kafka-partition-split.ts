// A Kafka source split is one topic partition and the offset of the next record to emit. Readers snapshot
// their splits as plain data; on a restore each split goes back to the subtask that owns its partition at
// the new parallelism, so a reader can tell a partition nobody had (start it) from one another reader has.
import { partitionOwner } from './partition-owner.ts';

export type KafkaPartitionSplit = {
  readonly topic: string;
  readonly partition: number;
  /** Offset of the next record to emit. */
  readonly offset: number;
  /** Bounded sources: the offset the split ends at (exclusive). */
  readonly stoppingOffset?: number;
};

export function splitId(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function toKafkaPartitionSplit(value: unknown, where: string): KafkaPartitionSplit {
  const v = value as Partial<KafkaPartitionSplit> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.topic !== 'string' ||
    !Number.isInteger(v.partition) ||
    !Number.isInteger(v.offset)
  ) {
    throw new Error(
      `${where}: restored split ${JSON.stringify(value)} is not a Kafka partition split ` +
        '({ topic, partition, offset }); was the state written by another source? Give this source another uid',
    );
  }
  const stop = v.stoppingOffset;
  return {
    topic: v.topic,
    partition: v.partition!,
    offset: v.offset!,
    ...(Number.isInteger(stop) ? { stoppingOffset: stop! } : {}),
  };
}

/** Deals restored splits to their owners at `parallelism` (Source.assignSplits). */
export function assignKafkaSplits(splits: unknown[], parallelism: number): KafkaPartitionSplit[][] {
  const out: KafkaPartitionSplit[][] = Array.from({ length: parallelism }, () => []);
  for (const s of splits) {
    const split = toKafkaPartitionSplit(s, 'KafkaSource restore');
    out[partitionOwner(split.topic, split.partition, parallelism)]!.push(split);
  }
  return out;
}
