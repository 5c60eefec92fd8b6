// The consumer side of one data connection, accepted by this data plane's server: a producer's HELLO names
// a channel, DATA frames go to the input channel bound to it, CREDIT and CLOSE frames go back. Losing the
// connection while a bound channel still expects data is a NetworkError.
import type { Socket } from 'node:net';
import { decodeHello, encodeCredit, FRAME_TYPES } from './frame.ts';
import { FrameDecoder } from './frame-decoder.ts';
import { FrameWriter } from './frame-writer.ts';
import { describeChannels, NetworkError } from './network-error.ts';
import type { InputLink, NetworkInputChannel } from './network-input-channel.ts';

export class ConsumerConnection implements InputLink {
  /** The producer's data plane ("host:port" from its HELLO), or the socket's peer until then. */
  remote: string;
  readonly #socket: Socket;
  readonly #writer: FrameWriter;
  readonly #channels = new Map<number, NetworkInputChannel>();
  readonly #onError: (e: NetworkError) => void;
  #closing = false;

  constructor(options: {
    socket: Socket;
    /** A producer announced channel `number` as `channelId`: bind it with attach(). */
    onHello: (connection: ConsumerConnection, number: number, channelId: string) => void;
    onClose: (connection: ConsumerConnection) => void;
    onError: (e: NetworkError) => void;
  }) {
    const socket = options.socket;
    this.#socket = socket;
    this.#onError = options.onError;
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    this.#writer = new FrameWriter(socket, () => {});
    const decoder = new FrameDecoder();
    let lastError = 'closed by the remote';
    socket.on('data', (chunk: Uint8Array) => {
      try {
        for (const f of decoder.push(chunk)) {
          if (f.type === FRAME_TYPES.DATA) this.#channels.get(f.channel)?.deliver(owned(f.payload));
          else if (f.type === FRAME_TYPES.HELLO) {
            const hello = decodeHello(f.payload);
            this.remote = hello.producer;
            options.onHello(this, f.channel, hello.channelId);
          } else if (f.type === FRAME_TYPES.CLOSE) this.#closedByProducer(f.channel);
        }
      } catch (e) {
        lastError = (e as Error).message;
        socket.destroy();
      }
    });
    socket.on('error', (e) => {
      lastError = e.message;
    });
    socket.on('close', () => {
      options.onClose(this);
      this.#lost(lastError);
    });
  }

  get bytesIn(): number {
    return this.#socket.bytesRead;
  }

  attach(number: number, channel: NetworkInputChannel): void {
    this.#channels.set(number, channel);
    channel.bind(this, number);
  }

  grant(number: number, n: number): void {
    this.#writer.control(FRAME_TYPES.CREDIT, number, encodeCredit(n));
  }

  /** Tells a producer that the channel it announced was released before it arrived. */
  refuse(number: number): void {
    this.#writer.control(FRAME_TYPES.CLOSE, number);
  }

  release(number: number): void {
    if (this.#channels.delete(number)) this.#writer.control(FRAME_TYPES.CLOSE, number);
  }

  close(): void {
    this.#closing = true;
    this.#socket.destroy();
  }

  #closedByProducer(number: number): void {
    const channel = this.#channels.get(number);
    if (channel === undefined) return;
    this.#channels.delete(number);
    if (channel.open) {
      const id = channel.channelId;
      this.#onError(
        new NetworkError(`producer ${this.remote} released channel ${id} before its end`, this.remote, [id]),
      );
    }
  }

  #lost(reason: string): void {
    if (this.#closing) return;
    const open = [...this.#channels.values()].filter((c) => c.open).map((c) => c.channelId);
    if (open.length === 0) return;
    this.#onError(
      new NetworkError(
        `data connection from ${this.remote} lost (${reason}) with ${open.length} open input channel(s): ${describeChannels(open)}`,
        this.remote,
        open,
      ),
    );
  }
}

/** The payload itself when it owns its memory, else a copy, so a queued buffer never pins a socket chunk. */
function owned(payload: Uint8Array): Uint8Array {
  if (payload.byteOffset === 0 && payload.byteLength === payload.buffer.byteLength) return payload;
  return Uint8Array.prototype.slice.call(payload); // a copy even for a Node Buffer, whose slice() is a view
}
