// The two ends of a channel between a producing and a consuming subtask. In one thread they are the same
// LocalChannel object; across threads or processes a network channel implements them with credit-based
// flow control.
import type { Buffer } from './buffer.ts';

export interface InputChannel {
  /** The next buffer, or undefined when none has arrived yet. */
  poll(): Buffer | undefined;
  /** Buffers waiting to be processed. */
  readonly size: number;
}

export interface OutputChannel {
  push(buffer: Buffer): void;
  /** False while the consumer has not made room (backpressure): the producer must not produce more. */
  hasCapacity(): boolean;
}
