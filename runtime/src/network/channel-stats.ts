// Counters of one network channel, read by NetworkEnvironment.stats() for metrics.
export type InputChannelStats = {
  buffersIn: number;
  /** Payload bytes of the DATA frames received. */
  bytesIn: number;
};

export type OutputChannelStats = {
  buffersOut: number;
  /** Payload bytes of the DATA frames sent. */
  bytesOut: number;
  /** Time the send queue was full, so hasCapacity() was false: the producer was backpressured. */
  backpressuredMs: number;
  /** Time buffers waited in the queue with no credit from the consumer. */
  creditStalledMs: number;
  /** Buffers waiting in the send queue now. */
  queued: number;
  /** Credit the consumer has granted and the producer not used yet. */
  credit: number;
};
