// The producer end of a network channel. push() encodes the buffer into a bounded send queue; buffers
// leave the queue only against credit from the consumer and while the socket accepts writes. hasCapacity()
// is false while the queue is full, so a slow consumer stops its producer instead of growing memory. As with
// LocalChannel, push() never refuses (events must get through): the queue exceeds `capacity` only by what a
// producer pushes after its last check. At most the granted credit is in flight or queued at the consumer.
import type { Buffer as StreamBuffer } from '../execution/buffer.ts';
import type { OutputChannel } from '../execution/channel.ts';
import { encodeBuffer } from './buffer-codec.ts';
import type { OutputChannelStats } from './channel-stats.ts';

/** How the channel reaches its connection (producer-connection.ts). */
export type OutputLink = {
  /** Whether the socket takes more bytes now. */
  readonly writable: boolean;
  sendData(channel: OutputChannelState, payload: Uint8Array): void;
};

/** What the connection needs from a channel: its number on the connection and its id. */
export type OutputChannelState = { readonly channelId: string; readonly number: number };

export class NetworkOutputChannel implements OutputChannel, OutputChannelState {
  readonly channelId: string;
  readonly number: number;
  readonly capacity: number;
  readonly #link: OutputLink;
  readonly #onWritable: () => void;
  #queue: Uint8Array[] = [];
  #head = 0;
  #credit = 0;
  #fullSince = 0;
  #stalledSince = 0;
  #drainWaiters: (() => void)[] = [];
  /** Set once the `end` event was pushed. */
  ended = false;
  /** Set when released locally or by the consumer: pushes are dropped. */
  released = false;
  readonly #stats: OutputChannelStats = {
    buffersOut: 0,
    bytesOut: 0,
    backpressuredMs: 0,
    creditStalledMs: 0,
    queued: 0,
    credit: 0,
  };

  constructor(options: {
    channelId: string;
    number: number;
    capacity: number;
    link: OutputLink;
    onWritable: () => void;
  }) {
    if (!(options.capacity >= 1)) throw new Error(`channel ${options.channelId}: capacity must be ≥ 1`);
    this.channelId = options.channelId;
    this.number = options.number;
    this.capacity = options.capacity;
    this.#link = options.link;
    this.#onWritable = options.onWritable;
  }

  push(buffer: StreamBuffer): void {
    if (this.released) return;
    if (buffer.kind === 'end') this.ended = true;
    this.#queue.push(encodeBuffer(buffer));
    this.send();
    if (this.#fullSince === 0 && this.queued >= this.capacity) this.#fullSince = performance.now();
  }

  hasCapacity(): boolean {
    return this.queued < this.capacity;
  }

  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** The consumer made room for n more buffers. */
  grant(n: number): void {
    this.#credit += n;
    this.send();
  }

  /** Sends queued buffers while there is credit and the socket takes them. */
  send(): void {
    if (this.queued === 0) return;
    const wasFull = this.queued >= this.capacity;
    while (this.#credit > 0 && this.#head < this.#queue.length && this.#link.writable) {
      const payload = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as unknown as Uint8Array;
      this.#credit--;
      this.#stats.buffersOut++;
      this.#stats.bytesOut += payload.length;
      this.#link.sendData(this, payload);
    }
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    const now = performance.now();
    if (this.#stalledSince > 0 && (this.#credit > 0 || this.queued === 0)) {
      this.#stats.creditStalledMs += now - this.#stalledSince;
      this.#stalledSince = 0;
    } else if (this.#stalledSince === 0 && this.#credit === 0 && this.queued > 0) {
      this.#stalledSince = now;
    }
    if (this.queued === 0) for (const resolve of this.#drainWaiters.splice(0)) resolve();
    if (wasFull && this.queued < this.capacity) {
      if (this.#fullSince > 0) this.#stats.backpressuredMs += now - this.#fullSince;
      this.#fullSince = 0;
      this.#onWritable();
    }
  }

  /** Resolves once every pushed buffer has been handed to the socket (or the channel was released). */
  drained(): Promise<void> {
    if (this.queued === 0 || this.released) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Drops what is queued: the channel was released here or by its consumer. */
  release(): void {
    this.released = true;
    this.#queue = [];
    this.#head = 0;
    for (const resolve of this.#drainWaiters.splice(0)) resolve();
  }

  /** Whether losing the connection now loses data the consumer still expects. */
  get open(): boolean {
    return !this.released && (!this.ended || this.queued > 0);
  }

  snapshotStats(): OutputChannelStats {
    const now = performance.now();
    return {
      ...this.#stats,
      backpressuredMs: this.#stats.backpressuredMs + (this.#fullSince > 0 ? now - this.#fullSince : 0),
      creditStalledMs: this.#stats.creditStalledMs + (this.#stalledSince > 0 ? now - this.#stalledSince : 0),
      queued: this.queued,
      credit: this.#credit,
    };
  }
}
