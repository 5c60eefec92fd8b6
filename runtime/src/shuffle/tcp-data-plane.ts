// The data plane of a slot worker: a TCP server for channels into its subtasks, and one connection per
// remote worker for channels out of them, each multiplexing many channels. Flow control is credit-based,
// as Flink's: a consumer grants credits (buffers it has room for) and returns one per buffer it processed;
// a producer sends only with credit and keeps a bounded queue, so a slow consumer makes hasCapacity()
// false upstream instead of growing memory.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Buffer as StreamBuffer } from '../execution/buffer.ts';
import type { InputChannel, OutputChannel } from '../execution/channel.ts';
import { decodeBuffer, encodeBuffer } from './buffer-codec.ts';
import { CREDIT, creditPayload, DATA, encodeFrame, FrameDecoder, HELLO, readCredit } from './frame-codec.ts';

export type Endpoint = { readonly host: string; readonly port: number };

export type DataPlaneStats = {
  bytesIn: number;
  bytesOut: number;
  buffersIn: number;
  buffersOut: number;
  backpressuredMs: number;
};

class TcpInputChannel implements InputChannel {
  readonly #queue: StreamBuffer[] = [];
  #head = 0;
  socket: Socket | undefined;
  #unannounced = 0;
  #announceScheduled = false;
  readonly id: string;
  readonly credits: number;
  readonly onData: () => void;

  constructor(id: string, credits: number, onData: () => void) {
    this.id = id;
    this.credits = credits;
    this.onData = onData;
  }

  deliver(b: StreamBuffer): void {
    this.#queue.push(b);
    this.onData();
  }

  poll(): StreamBuffer | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const b = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined as unknown as StreamBuffer;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    this.#unannounced++;
    if (!this.#announceScheduled) {
      // Credits freed while processing one batch of input go back in one frame.
      this.#announceScheduled = true;
      setImmediate(() => this.#announce());
    }
    return b;
  }

  #announce(): void {
    this.#announceScheduled = false;
    if (this.#unannounced === 0 || this.socket === undefined || this.socket.destroyed) return;
    this.socket.write(encodeFrame(CREDIT, this.id, creditPayload(this.#unannounced)));
    this.#unannounced = 0;
  }

  get size(): number {
    return this.#queue.length - this.#head;
  }
}

class TcpOutputChannel implements OutputChannel {
  readonly id: string;
  readonly #queue: Uint8Array[] = [];
  readonly #capacity: number;
  readonly #connection: Connection;
  readonly #stats: DataPlaneStats;
  readonly onWritable: () => void;
  #credit = 0;
  #blockedSince = 0;
  #drained: (() => void)[] = [];

  constructor(
    id: string,
    capacity: number,
    connection: Connection,
    stats: DataPlaneStats,
    onWritable: () => void,
  ) {
    this.id = id;
    this.#capacity = capacity;
    this.#connection = connection;
    this.#stats = stats;
    this.onWritable = onWritable;
  }

  push(buffer: StreamBuffer): void {
    this.#queue.push(encodeBuffer(buffer));
    this.flush();
  }

  hasCapacity(): boolean {
    const ok = this.#queue.length < this.#capacity;
    if (!ok && this.#blockedSince === 0) this.#blockedSince = performance.now();
    return ok;
  }

  /** Resolves once every pushed buffer has been written to the socket. */
  drained(): Promise<void> {
    if (this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  grant(n: number): void {
    this.#credit += n;
    this.flush();
  }

  /** Sends queued buffers while there is credit and the socket accepts writes. */
  flush(): void {
    const wasFull = this.#queue.length >= this.#capacity;
    while (this.#credit > 0 && this.#queue.length > 0 && this.#connection.writable) {
      const payload = this.#queue.shift()!;
      this.#credit--;
      this.#stats.buffersOut++;
      this.#stats.bytesOut += payload.length;
      this.#connection.write(encodeFrame(DATA, this.id, payload));
    }
    if (this.#queue.length === 0 && this.#drained.length > 0)
      for (const resolve of this.#drained.splice(0)) resolve();
    if (wasFull && this.#queue.length < this.#capacity) {
      if (this.#blockedSince > 0) {
        this.#stats.backpressuredMs += performance.now() - this.#blockedSince;
        this.#blockedSince = 0;
      }
      this.onWritable();
    }
  }
}

/** A producer-side connection to one remote data plane. */
class Connection {
  readonly socket: Socket;
  readonly ready: Promise<void>;
  readonly channels = new Map<string, TcpOutputChannel>();
  writable = false;

  constructor(remote: Endpoint, onError: (e: Error) => void) {
    this.socket = createConnection(remote.port, remote.host);
    this.socket.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => {
        this.writable = true;
        resolve();
      });
      this.socket.once('error', (e) =>
        reject(new Error(`data connection to ${remote.host}:${remote.port} failed: ${e.message}`)),
      );
    });
    this.ready.catch(() => {});
    const decoder = new FrameDecoder();
    this.socket.on('data', (chunk) => {
      for (const f of decoder.push(chunk)) {
        if (f.type === CREDIT) this.channels.get(f.channelId)?.grant(readCredit(f.payload));
      }
    });
    this.socket.on('drain', () => {
      this.writable = true;
      for (const c of this.channels.values()) c.flush();
    });
    this.socket.on('error', (e) =>
      onError(new Error(`data connection to ${remote.host}:${remote.port}: ${e.message}`)),
    );
  }

  write(frame: Buffer): void {
    if (!this.socket.write(frame)) this.writable = false;
  }
}

export class TcpDataPlane {
  readonly #server: Server;
  readonly #inputs = new Map<string, TcpInputChannel>();
  /** Producers that said hello before their consumer channel existed. */
  readonly #hellos = new Map<string, Socket>();
  readonly #connections = new Map<string, Connection>();
  readonly #accepted = new Set<Socket>();
  readonly stats: DataPlaneStats = {
    bytesIn: 0,
    bytesOut: 0,
    buffersIn: 0,
    buffersOut: 0,
    backpressuredMs: 0,
  };
  onError: (e: Error) => void = () => {};
  address: Endpoint = { host: '127.0.0.1', port: 0 };

  private constructor() {
    this.#server = createServer((socket) => this.#accept(socket));
  }

  static async start(host: string, port = 0): Promise<TcpDataPlane> {
    const plane = new TcpDataPlane();
    await new Promise<void>((resolve, reject) => {
      plane.#server.once('error', reject);
      plane.#server.listen(port, host, resolve);
    });
    plane.address = { host, port: (plane.#server.address() as { port: number }).port };
    return plane;
  }

  #accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.#accepted.add(socket);
    socket.on('close', () => this.#accepted.delete(socket));
    const decoder = new FrameDecoder();
    socket.on('data', (chunk) => {
      this.stats.bytesIn += chunk.length;
      for (const f of decoder.push(chunk)) {
        if (f.type === HELLO) {
          const input = this.#inputs.get(f.channelId);
          if (input === undefined) this.#hellos.set(f.channelId, socket);
          else this.#bind(input, socket);
        } else if (f.type === DATA) {
          const input = this.#inputs.get(f.channelId);
          if (input === undefined) continue; // a released channel of an earlier attempt
          this.stats.buffersIn++;
          input.deliver(decodeBuffer(f.payload));
        }
      }
    });
    socket.on('error', () => {});
  }

  #bind(input: TcpInputChannel, socket: Socket): void {
    input.socket = socket;
    socket.write(encodeFrame(CREDIT, input.id, creditPayload(input.credits)));
  }

  createInputChannel(options: { channelId: string; credits: number; onData: () => void }): InputChannel {
    const input = new TcpInputChannel(options.channelId, options.credits, options.onData);
    this.#inputs.set(options.channelId, input);
    const hello = this.#hellos.get(options.channelId);
    if (hello !== undefined) {
      this.#hellos.delete(options.channelId);
      this.#bind(input, hello);
    }
    return input;
  }

  createOutputChannel(options: {
    channelId: string;
    remote: Endpoint;
    capacity: number;
    onWritable?: () => void;
  }): OutputChannel {
    const key = `${options.remote.host}:${options.remote.port}`;
    let connection = this.#connections.get(key);
    if (connection === undefined || connection.socket.destroyed) {
      const created = new Connection(options.remote, (e) => this.onError(e));
      // A connection that fails or closes is forgotten, so a later attempt connects afresh.
      created.socket.once('close', () => {
        if (this.#connections.get(key) === created) this.#connections.delete(key);
      });
      connection = created;
      this.#connections.set(key, connection);
    }
    const output = new TcpOutputChannel(
      options.channelId,
      options.capacity,
      connection,
      this.stats,
      options.onWritable ?? (() => {}),
    );
    connection.channels.set(options.channelId, output);
    const conn = connection;
    void conn.ready.then(
      () => conn.write(encodeFrame(HELLO, options.channelId, new Uint8Array(0))),
      () => {},
    );
    return output;
  }

  /** Waits until the connections of the channels whose ids start with `prefix` are established. */
  async connect(prefix = '', timeoutMs = 10_000): Promise<void> {
    const used = [...this.#connections.values()].filter((c) =>
      [...c.channels.keys()].some((id) => id.startsWith(prefix)),
    );
    const all = Promise.all(used.map((c) => c.ready));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`data connections not established within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits until the output channels whose ids start with `prefix` have sent everything. */
  async drain(prefix: string): Promise<void> {
    const pending: Promise<void>[] = [];
    for (const c of this.#connections.values()) {
      for (const [id, ch] of c.channels) if (id.startsWith(prefix)) pending.push(ch.drained());
    }
    await Promise.all(pending);
  }

  releaseChannels(prefix: string): void {
    for (const id of [...this.#inputs.keys()]) if (id.startsWith(prefix)) this.#inputs.delete(id);
    for (const id of [...this.#hellos.keys()]) if (id.startsWith(prefix)) this.#hellos.delete(id);
    for (const c of this.#connections.values())
      for (const id of [...c.channels.keys()]) if (id.startsWith(prefix)) c.channels.delete(id);
  }

  async close(): Promise<void> {
    for (const c of this.#connections.values()) c.socket.destroy();
    for (const s of this.#accepted) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
