// The producer side of one data connection: from this data plane to one remote data plane, carrying the
// output channels towards it. Connecting retries until the remote listens or the deadline passes. CREDIT
// frames feed the channels; losing the connection while a channel still owes data is a NetworkError.
import { createConnection, type Socket } from 'node:net';
import type { Endpoint } from './endpoint.ts';
import { formatEndpoint } from './endpoint.ts';
import { decodeCredit, encodeHello, FRAME_TYPES, PROTOCOL_VERSION } from './frame.ts';
import { FrameDecoder } from './frame-decoder.ts';
import { FrameWriter } from './frame-writer.ts';
import { describeChannels, NetworkError } from './network-error.ts';
import { NetworkOutputChannel, type OutputChannelState, type OutputLink } from './network-output-channel.ts';

const FIRST_RETRY_MS = 20;
const MAX_RETRY_MS = 500;

export class ProducerConnection implements OutputLink {
  readonly remote: string;
  readonly ready: Promise<void>;
  readonly #endpoint: Endpoint;
  readonly #local: string;
  readonly #onError: (e: NetworkError) => void;
  readonly #channels = new Map<number, NetworkOutputChannel>();
  #nextNumber = 0;
  #socket: Socket | undefined;
  #writer: FrameWriter | undefined;
  #closing = false;
  #resumeFrom = 0;
  /** Set when connect() awaits `ready`, which then reports a failure to connect instead of onError. */
  awaited = false;
  failed = false;

  constructor(options: {
    remote: Endpoint;
    local: Endpoint;
    connectTimeoutMs: number;
    onError: (e: NetworkError) => void;
  }) {
    this.#endpoint = options.remote;
    this.remote = formatEndpoint(options.remote);
    this.#local = formatEndpoint(options.local);
    this.#onError = options.onError;
    this.ready = this.#connect(performance.now() + options.connectTimeoutMs, options.connectTimeoutMs);
    this.ready.catch((e: NetworkError) => {
      this.failed = true;
      if (!this.awaited && !this.#closing) this.#onError(e);
    });
  }

  get writable(): boolean {
    return this.#writer?.writable ?? false;
  }

  get channels(): Iterable<NetworkOutputChannel> {
    return this.#channels.values();
  }

  /** True when no output channel uses this connection. */
  get idle(): boolean {
    return this.#channels.size === 0;
  }

  get connected(): boolean {
    return this.#writer !== undefined;
  }

  get bytesOut(): number {
    return this.#writer?.bytesWritten ?? 0;
  }

  createChannel(options: {
    channelId: string;
    capacity: number;
    onWritable: () => void;
  }): NetworkOutputChannel {
    const channel = new NetworkOutputChannel({ ...options, number: this.#nextNumber++, link: this });
    this.#channels.set(channel.number, channel);
    if (this.#writer !== undefined) this.#hello(channel);
    return channel;
  }

  sendData(channel: OutputChannelState, payload: Uint8Array): void {
    this.#writer!.data(FRAME_TYPES.DATA, channel.number, payload);
  }

  releaseChannel(channel: NetworkOutputChannel): void {
    channel.release();
    if (this.#channels.delete(channel.number)) this.#writer?.control(FRAME_TYPES.CLOSE, channel.number);
  }

  close(): void {
    this.#closing = true;
    this.#socket?.destroy();
  }

  async #connect(deadline: number, timeoutMs: number): Promise<void> {
    let delay = FIRST_RETRY_MS;
    for (;;) {
      try {
        const socket = await this.#attempt();
        if (this.#closing) {
          socket.destroy();
          return;
        }
        this.#established(socket);
        return;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        if (this.#closing) return;
        const remaining = deadline - performance.now();
        if (remaining <= 0) {
          const ids = describeChannels([...this.#channels.values()].map((c) => c.channelId));
          throw new NetworkError(
            `could not connect to the data plane at ${this.remote} within ${timeoutMs} ms (${code}); channels ${ids}`,
            this.remote,
            [...this.#channels.values()].map((c) => c.channelId),
            e,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(delay, remaining)));
        delay = Math.min(MAX_RETRY_MS, delay * 2);
      }
    }
  }

  #attempt(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: this.#endpoint.host, port: this.#endpoint.port });
      const fail = (e: Error) => {
        socket.destroy();
        reject(e);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        resolve(socket);
      });
    });
  }

  #established(socket: Socket): void {
    socket.setNoDelay(true);
    this.#socket = socket;
    this.#writer = new FrameWriter(socket, () => this.#resume());
    for (const c of this.#channels.values()) this.#hello(c);
    const decoder = new FrameDecoder();
    let lastError = 'closed by the remote';
    socket.on('data', (chunk: Uint8Array) => {
      try {
        for (const f of decoder.push(chunk)) {
          const channel = this.#channels.get(f.channel);
          if (channel === undefined) continue; // released here meanwhile
          if (f.type === FRAME_TYPES.CREDIT) channel.grant(decodeCredit(f.payload));
          else if (f.type === FRAME_TYPES.CLOSE) {
            channel.release();
            this.#channels.delete(f.channel);
          }
        }
      } catch (e) {
        lastError = (e as Error).message;
        socket.destroy();
      }
    });
    socket.on('error', (e) => {
      lastError = e.message;
    });
    socket.on('close', () => this.#lost(lastError));
  }

  /** The socket drained: channels send again, starting one further each time so none is always last. */
  #resume(): void {
    const channels = [...this.#channels.values()];
    const first = this.#resumeFrom++ % Math.max(1, channels.length);
    for (let i = 0; i < channels.length && this.writable; i++)
      channels[(first + i) % channels.length]!.send();
  }

  #hello(channel: NetworkOutputChannel): void {
    const hello = { version: PROTOCOL_VERSION, channelId: channel.channelId, producer: this.#local };
    this.#writer!.control(FRAME_TYPES.HELLO, channel.number, encodeHello(hello));
  }

  #lost(reason: string): void {
    this.failed = true;
    this.#writer = undefined;
    if (this.#closing) return;
    const open = [...this.#channels.values()].filter((c) => c.open).map((c) => c.channelId);
    if (open.length === 0) return;
    this.#onError(
      new NetworkError(
        `data connection to ${this.remote} lost (${reason}) with ${open.length} open output channel(s): ${describeChannels(open)}`,
        this.remote,
        open,
      ),
    );
  }
}
