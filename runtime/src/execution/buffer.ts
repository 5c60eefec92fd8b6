// What travels on a channel between subtasks: batches of records, and events in-band with them
// (watermarks, watermark status, end of partition, checkpoint barriers) so ordering is preserved.
import type { NormalizedKey } from '../state/key-normalizer.ts';

export type RecordBatch = {
  readonly kind: 'records';
  readonly values: unknown[];
  readonly timestamps: number[];
  /** Normalized keys, when the producer already computed them for hash partitioning (in-memory channels). */
  readonly keys: NormalizedKey[] | undefined;
};

export type ChannelEvent =
  | { readonly kind: 'watermark'; readonly watermark: number }
  | { readonly kind: 'status'; readonly idle: boolean }
  | { readonly kind: 'end' }
  | { readonly kind: 'barrier'; readonly checkpointId: number; readonly timestamp: number };

export type Buffer = RecordBatch | ChannelEvent;
