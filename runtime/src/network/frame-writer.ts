// Writes frames to a socket. Frames written in one turn of the event loop leave in one writev (cork until
// the next tick), and `writable` turns false when the socket buffers more than MAX_BUFFERED_BYTES, until it
// drains: senders check it, so socket backpressure stops them as a lack of credit does.
import type { Socket } from 'node:net';
import { encodeFrame, type FrameType, frameHeader } from './frame.ts';

/** Bytes the socket may buffer before senders pause: a few batches, so the kernel never runs dry. */
const MAX_BUFFERED_BYTES = 256 * 1024;

export class FrameWriter {
  readonly #socket: Socket;
  #corked = false;
  writable = true;
  bytesWritten = 0;

  constructor(socket: Socket, onDrain: () => void) {
    this.#socket = socket;
    socket.on('drain', () => {
      this.writable = true;
      onDrain();
    });
  }

  /** A control frame (HELLO, CREDIT, CLOSE): small, so copied into one array. */
  control(type: FrameType, channel: number, payload?: Uint8Array): void {
    this.#write(encodeFrame(type, channel, payload));
  }

  /** A DATA frame: header and payload go out without copying the payload. */
  data(type: FrameType, channel: number, payload: Uint8Array): void {
    this.#write(frameHeader(type, channel, payload.length));
    this.#write(payload);
  }

  #write(bytes: Uint8Array): void {
    if (this.#socket.destroyed) return;
    this.#cork();
    this.bytesWritten += bytes.length;
    this.#socket.write(bytes);
    if (this.#socket.writableLength >= MAX_BUFFERED_BYTES) this.writable = false;
  }

  #cork(): void {
    if (this.#corked) return;
    this.#corked = true;
    this.#socket.cork();
    process.nextTick(() => {
      this.#corked = false;
      this.#socket.uncork();
    });
  }
}
