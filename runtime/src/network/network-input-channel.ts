// The consumer end of a network channel. It grants its producer `credits` buffers once bound to the
// producer's connection and returns one credit per buffer polled, announced in batches (at half the
// initial credit, or at the end of the event-loop turn in which it polled), so at most `credits` buffers
// ever wait here. Buffers stay encoded until polled: the consumer's task pays for decoding.
import type { Buffer as StreamBuffer } from '../execution/buffer.ts';
import type { InputChannel } from '../execution/channel.ts';
import { decodeBuffer } from './buffer-codec.ts';
import type { InputChannelStats } from './channel-stats.ts';
import { EVENT_TAGS } from './event-codec.ts';

/** How the channel reaches the producer's connection (consumer-connection.ts). */
export type InputLink = {
  readonly remote: string;
  grant(channel: number, n: number): void;
  release(channel: number): void;
};

export class NetworkInputChannel implements InputChannel {
  readonly channelId: string;
  readonly credits: number;
  readonly #onData: () => void;
  readonly #onError: (message: string) => void;
  readonly #announceAt: number;
  #queue: Uint8Array[] = [];
  #head = 0;
  #link: InputLink | undefined;
  #number = 0;
  #unannounced = 0;
  #announceScheduled = false;
  /** Set once the `end` event arrived (it may still wait to be polled). */
  ended = false;
  released = false;
  readonly stats: InputChannelStats = { buffersIn: 0, bytesIn: 0 };

  constructor(options: {
    channelId: string;
    credits: number;
    onData: () => void;
    onError: (message: string) => void;
  }) {
    if (!(options.credits >= 1)) throw new Error(`channel ${options.channelId}: credits must be ≥ 1`);
    this.channelId = options.channelId;
    this.credits = options.credits;
    this.#onData = options.onData;
    this.#onError = options.onError;
    this.#announceAt = Math.max(1, Math.floor(options.credits / 2));
  }

  get bound(): boolean {
    return this.#link !== undefined;
  }

  get remote(): string | undefined {
    return this.#link?.remote;
  }

  /** The producer said HELLO on `link` as channel `number`: grant the initial credit. */
  bind(link: InputLink, number: number): void {
    this.#link = link;
    this.#number = number;
    link.grant(number, this.credits);
  }

  /** A DATA frame arrived; `payload` must not be a view into a reused chunk. */
  deliver(payload: Uint8Array): void {
    if (this.released) return;
    if (this.size >= this.credits) {
      this.#onError(`producer sent more buffers than the ${this.credits} credits granted`);
      return;
    }
    this.#queue.push(payload);
    if (payload[0] === EVENT_TAGS.end) this.ended = true;
    this.stats.buffersIn++;
    this.stats.bytesIn += payload.length;
    this.#onData();
  }

  poll(): StreamBuffer | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const payload = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as unknown as Uint8Array;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    const buffer = decodeBuffer(payload);
    if (buffer.kind !== 'end') this.#returnCredit();
    return buffer;
  }

  get size(): number {
    return this.#queue.length - this.#head;
  }

  #returnCredit(): void {
    this.#unannounced++;
    if (this.#unannounced >= this.#announceAt) this.#announce();
    else if (!this.#announceScheduled) {
      this.#announceScheduled = true;
      setImmediate(() => {
        this.#announceScheduled = false;
        this.#announce();
      });
    }
  }

  #announce(): void {
    if (this.#unannounced === 0 || this.#link === undefined || this.released) return;
    this.#link.grant(this.#number, this.#unannounced);
    this.#unannounced = 0;
  }

  /** Stops the channel: buffers are dropped and the producer is told to stop sending. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.#queue = [];
    this.#head = 0;
    this.#link?.release(this.#number);
  }

  /** Whether losing the connection now loses data this channel still expects. */
  get open(): boolean {
    return !this.released && !this.ended;
  }
}
