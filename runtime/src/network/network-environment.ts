// A worker's data plane: one TCP server for the input channels of its subtasks, and one connection per
// remote data plane for its output channels, each connection multiplexing many channels with credit-based
// flow control (frame.ts). Input channels may be created before or after their producer says HELLO: an
// early HELLO waits here, and no data flows before the input channel grants credit.
import { createServer, type Server, type Socket } from 'node:net';
import type { InputChannelStats, OutputChannelStats } from './channel-stats.ts';
import { ConsumerConnection } from './consumer-connection.ts';
import { type Endpoint, formatEndpoint } from './endpoint.ts';
import { NetworkError } from './network-error.ts';
import { NetworkInputChannel } from './network-input-channel.ts';
import type { NetworkOutputChannel } from './network-output-channel.ts';
import { ProducerConnection } from './producer-connection.ts';

export type NetworkEnvironmentOptions = {
  host: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** How long producer connections retry a remote that does not listen yet. Default 10 s. */
  connectTimeoutMs?: number;
  /** Receives NetworkErrors (typed as Error so a handler of any error fits). */
  onError?: (e: Error) => void;
};

export type NetworkStats = {
  /** Socket bytes, framing included. */
  bytesIn: number;
  bytesOut: number;
  inputs: Record<string, InputChannelStats & { queued: number; remote: string | undefined }>;
  outputs: Record<string, OutputChannelStats & { remote: string }>;
};

type PendingHello = { connection: ConsumerConnection; number: number };

/** Released input channels remembered for a producer whose HELLO is still on its way (oldest forgotten first). */
const MAX_RELEASED_IDS = 10_000;

export class NetworkEnvironment {
  address: Endpoint;
  /** Called when a connection fails while channels still expect data; the task owning them must fail. */
  onError: (e: Error) => void;
  readonly #server: Server;
  readonly #connectTimeoutMs: number;
  readonly #inputs = new Map<string, NetworkInputChannel>();
  readonly #outputs = new Map<string, { channel: NetworkOutputChannel; connection: ProducerConnection }>();
  readonly #hellos = new Map<string, PendingHello>();
  readonly #released = new Set<string>();
  readonly #producers = new Map<string, ProducerConnection>();
  readonly #consumers = new Set<ConsumerConnection>();
  #bytesIn = 0;
  #closed = false;

  private constructor(options: NetworkEnvironmentOptions) {
    this.address = { host: options.host, port: options.port ?? 0 };
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.onError = options.onError ?? (() => {});
    this.#server = createServer((socket) => this.#accept(socket));
  }

  static async start(options: NetworkEnvironmentOptions): Promise<NetworkEnvironment> {
    const env = new NetworkEnvironment(options);
    await new Promise<void>((resolve, reject) => {
      env.#server.once('error', reject);
      env.#server.listen(env.address.port, env.address.host, () => {
        env.#server.off('error', reject);
        resolve();
      });
    });
    const port = (env.#server.address() as { port: number }).port;
    env.address = { host: options.host, port };
    return env;
  }

  /** The producer end of channel `channelId` towards the data plane at `remote`. Connects in the background. */
  createOutputChannel(options: {
    channelId: string;
    remote: Endpoint;
    /** Buffers the send queue holds before hasCapacity() turns false. */
    capacity: number;
    /** Called when a full channel has room again, to wake the producing task. */
    onWritable?: () => void;
  }): NetworkOutputChannel {
    if (this.#outputs.has(options.channelId)) throw new Error(`output channel ${options.channelId} exists`);
    const key = formatEndpoint(options.remote);
    let connection = this.#producers.get(key);
    if (connection === undefined || connection.failed) {
      connection = new ProducerConnection({
        remote: options.remote,
        local: this.address,
        connectTimeoutMs: this.#connectTimeoutMs,
        onError: (e) => this.#report(e),
      });
      this.#producers.set(key, connection);
    }
    const channel = connection.createChannel({
      channelId: options.channelId,
      capacity: options.capacity,
      onWritable: options.onWritable ?? (() => {}),
    });
    this.#outputs.set(options.channelId, { channel, connection });
    return channel;
  }

  /** The consumer end of channel `channelId`; `onData` is called whenever a buffer can be polled. */
  createInputChannel(options: {
    channelId: string;
    credits: number;
    onData?: () => void;
  }): NetworkInputChannel {
    const id = options.channelId;
    if (this.#inputs.has(id)) throw new Error(`input channel ${id} exists`);
    const channel: NetworkInputChannel = new NetworkInputChannel({
      channelId: id,
      credits: options.credits,
      onData: options.onData ?? (() => {}),
      onError: (message) =>
        this.#report(
          new NetworkError(`channel ${id} from ${channel.remote}: ${message}`, channel.remote!, [id]),
        ),
    });
    this.#inputs.set(id, channel);
    const hello = this.#hellos.get(id);
    if (hello !== undefined) {
      this.#hellos.delete(id);
      hello.connection.attach(hello.number, channel);
    }
    return channel;
  }

  /**
   * Resolves once the producer connections carrying the output channels whose ids start with `prefix` are
   * established; rejects naming an address that never listened. Connections that failed before (and were
   * reported then) are not waited for again.
   */
  async connect(prefix = ''): Promise<void> {
    const connections = new Set<ProducerConnection>();
    for (const [id, { connection }] of this.#outputs)
      if (id.startsWith(prefix) && !connection.failed) connections.add(connection);
    for (const c of connections) c.awaited = true;
    await Promise.all([...connections].map((c) => c.ready));
  }

  /** Resolves once the output channels whose ids start with `prefix` have handed every buffer to the socket. */
  async drain(prefix = ''): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const [id, { channel }] of this.#outputs) if (id.startsWith(prefix)) pending.push(channel.drained());
    await Promise.all(pending);
  }

  /** Releases the channels whose ids start with `prefix` (a finished or cancelled attempt), telling the peers. */
  releaseChannels(prefix: string): void {
    for (const [id, channel] of this.#inputs) {
      if (!id.startsWith(prefix)) continue;
      channel.release();
      this.#inputs.delete(id);
      if (!channel.bound) this.#rememberReleased(id);
    }
    for (const [id, { channel, connection }] of this.#outputs) {
      if (!id.startsWith(prefix)) continue;
      connection.releaseChannel(channel);
      this.#outputs.delete(id);
      // A connection still trying to reach a peer that no channel needs any more (a lost TaskManager of a
      // cancelled attempt) stops trying, so the next attempt neither waits for it nor fails on it.
      if (connection.idle && !connection.connected) {
        connection.close();
        const key = connection.remote;
        if (this.#producers.get(key) === connection) this.#producers.delete(key);
      }
    }
    for (const id of this.#hellos.keys()) if (id.startsWith(prefix)) this.#hellos.delete(id);
  }

  stats(): NetworkStats {
    const stats: NetworkStats = { bytesIn: this.#bytesIn, bytesOut: 0, inputs: {}, outputs: {} };
    for (const c of this.#consumers) stats.bytesIn += c.bytesIn;
    for (const c of this.#producers.values()) stats.bytesOut += c.bytesOut;
    for (const [id, ch] of this.#inputs)
      stats.inputs[id] = { ...ch.stats, queued: ch.size, remote: ch.remote };
    for (const [id, { channel, connection }] of this.#outputs) {
      stats.outputs[id] = { ...channel.snapshotStats(), remote: connection.remote };
    }
    return stats;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const c of this.#producers.values()) c.close();
    for (const c of this.#consumers) c.close();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    if (this.#closed) {
      socket.destroy();
      return;
    }
    const connection = new ConsumerConnection({
      socket,
      onHello: (conn, number, channelId) => this.#hello(conn, number, channelId),
      onClose: (conn) => {
        this.#consumers.delete(conn);
        this.#bytesIn += conn.bytesIn;
        for (const [id, h] of this.#hellos) if (h.connection === conn) this.#hellos.delete(id);
      },
      onError: (e) => this.#report(e),
    });
    this.#consumers.add(connection);
  }

  #hello(connection: ConsumerConnection, number: number, channelId: string): void {
    const input = this.#inputs.get(channelId);
    if (input === undefined && this.#released.delete(channelId)) {
      connection.refuse(number);
      return;
    }
    if (input === undefined && !this.#hellos.has(channelId)) {
      this.#hellos.set(channelId, { connection, number });
      return;
    }
    if (input === undefined || input.bound) {
      const message = `a second producer (${connection.remote}) said hello on channel ${channelId}`;
      this.#report(new NetworkError(message, connection.remote, [channelId]));
      return;
    }
    connection.attach(number, input);
  }

  #rememberReleased(id: string): void {
    this.#released.add(id);
    if (this.#released.size > MAX_RELEASED_IDS) this.#released.delete(this.#released.values().next().value!);
  }

  #report(e: NetworkError): void {
    if (!this.#closed) this.onError(e);
  }
}
