// Where a reader starts in a partition that is not in a restored checkpoint (Flink's OffsetsInitializer).
// Partitions discovered while the job runs always start at the earliest offset, so nothing is skipped.

export type StartingOffsets =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'timestamp'; readonly timestamp: number }
  | { readonly kind: 'committed'; readonly reset: 'earliest' | 'latest' | 'fail' };

export const OffsetsInitializer = {
  earliest: (): StartingOffsets => ({ kind: 'earliest' }),
  latest: (): StartingOffsets => ({ kind: 'latest' }),
  /** The first record whose timestamp is at or after `timestamp` (ms); the end of the partition if none. */
  timestamp: (timestamp: number): StartingOffsets => ({ kind: 'timestamp', timestamp }),
  /** The consumer group's committed offset; `reset` where the group has none. */
  committedOffsets: (reset: 'earliest' | 'latest' | 'fail' = 'earliest'): StartingOffsets => ({
    kind: 'committed',
    reset,
  }),
};

/** Kafka's answers for one partition, as numbers (-1 where Kafka has none). */
export type PartitionOffsets = {
  readonly earliest: number;
  readonly latest: number;
  readonly atTimestamp?: number;
  readonly committed?: number;
};

/** The start offset of a partition (pure). Throws when a committed start has no commit and reset is 'fail'. */
export function resolveStartOffset(start: StartingOffsets, offsets: PartitionOffsets, where: string): number {
  switch (start.kind) {
    case 'earliest':
      return offsets.earliest;
    case 'latest':
      return offsets.latest;
    case 'timestamp':
      return offsets.atTimestamp === undefined || offsets.atTimestamp < 0
        ? offsets.latest
        : offsets.atTimestamp;
    case 'committed': {
      if (offsets.committed !== undefined && offsets.committed >= 0) return offsets.committed;
      if (start.reset === 'fail') {
        throw new Error(
          `${where}: the consumer group has no committed offset; start from earliest or latest instead ` +
            "(OffsetsInitializer.committedOffsets('earliest'))",
        );
      }
      return start.reset === 'earliest' ? offsets.earliest : offsets.latest;
    }
  }
}
