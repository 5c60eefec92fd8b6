// An in-memory channel from one producing subtask to one consuming subtask. Bounded by a number of buffers:
// a producer checks hasCapacity() before producing more, which is how backpressure reaches the sources.
import type { Buffer } from './buffer.ts';
import type { InputChannel, OutputChannel } from './channel.ts';

export class LocalChannel implements InputChannel, OutputChannel {
  readonly #queue: Buffer[] = [];
  #head = 0;
  readonly capacity: number;
  /** The consumer's index for this channel in its input gate. */
  readonly inputIndex: number;

  constructor(capacity: number, inputIndex: number) {
    this.capacity = capacity;
    this.inputIndex = inputIndex;
  }

  push(buffer: Buffer): void {
    this.#queue.push(buffer);
  }

  poll(): Buffer | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const b = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as unknown as Buffer;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    return b;
  }

  get size(): number {
    return this.#queue.length - this.#head;
  }

  hasCapacity(): boolean {
    return this.size < this.capacity;
  }
}
