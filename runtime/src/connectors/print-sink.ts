// Prints records as lines, Flink style: `prefix> value`, `prefix:subtask> value` when the sink runs with
// parallelism above 1 (subtask counted from 1), `subtask> value` without a prefix, or just `value`.
// Lines written in one turn of the event loop go to the stream as one write (or sooner, every 16 KiB).
// write() returns a promise only while the stream's buffer is full; it resolves when the stream drains.
import type { Writable } from 'node:stream';
import type { Sink, SinkContext, SinkWriter } from '../api/sink.ts';

export type PrintSinkOptions<T> = {
  readonly prefix?: string;
  /** Print to process.stderr instead of process.stdout. */
  readonly stderr?: boolean;
  /** The text of a record; strings as they are and anything else as JSON by default. */
  readonly format?: (value: T) => string;
  /** Where to print; overrides `stderr`. The sink never ends this stream. */
  readonly stream?: Writable;
};

const BATCH_CHARS = 16 * 1024;

export class PrintSink<T> implements Sink<T> {
  readonly #options: PrintSinkOptions<T>;

  constructor(options: PrintSinkOptions<T> = {}) {
    this.#options = options;
  }

  createWriter(ctx: SinkContext): PrintSinkWriter<T> {
    const options = this.#options;
    const stream = options.stream ?? (options.stderr ? process.stderr : process.stdout);
    return new PrintSinkWriter(stream, lineTag(options.prefix ?? '', ctx), options.format ?? defaultFormat);
  }
}

/** Flink's PrintSinkOutputWriter prefix: identifier, then ':' and the 1-based subtask if parallel, then '> '. */
function lineTag(prefix: string, ctx: SinkContext): string {
  const subtask = ctx.parallelism > 1 ? `${ctx.subtaskIndex + 1}` : '';
  const tag = prefix.length > 0 && subtask.length > 0 ? `${prefix}:${subtask}` : prefix + subtask;
  return tag.length > 0 ? `${tag}> ` : '';
}

export class PrintSinkWriter<T> implements SinkWriter<T> {
  readonly #stream: Writable;
  readonly #tag: string;
  readonly #format: (value: T) => string;
  #batch = '';
  #immediate: NodeJS.Immediate | undefined;
  #drain: Promise<void> | undefined;
  readonly #writeLater = (): void => {
    this.#immediate = undefined;
    void this.#writeBatch();
  };

  constructor(stream: Writable, tag: string, format: (value: T) => string) {
    this.#stream = stream;
    this.#tag = tag;
    this.#format = format;
  }

  write(value: T): Promise<void> | undefined {
    this.#batch += `${this.#tag}${this.#format(value)}\n`;
    if (this.#batch.length >= BATCH_CHARS) return this.#writeBatch();
    this.#immediate ??= setImmediate(this.#writeLater);
    return this.#stream.writableNeedDrain ? this.#drained() : undefined;
  }

  /** Writes what is batched and waits until the stream has room again. */
  async flush(): Promise<void> {
    await this.#writeBatch();
    if (this.#stream.writableNeedDrain) await this.#drained();
  }

  async close(): Promise<void> {
    await this.flush();
  }

  #writeBatch(): Promise<void> | undefined {
    if (this.#immediate !== undefined) {
      clearImmediate(this.#immediate);
      this.#immediate = undefined;
    }
    if (this.#batch.length > 0) {
      const batch = this.#batch;
      this.#batch = '';
      if (this.#stream.write(batch)) return undefined;
    }
    return this.#stream.writableNeedDrain ? this.#drained() : undefined;
  }

  /** One promise for every writer waiting on the same drain; a stream that closes or fails releases it. */
  #drained(): Promise<void> {
    if (this.#drain !== undefined) return this.#drain;
    const stream = this.#stream;
    this.#drain = new Promise<void>((resolve, reject) => {
      const settle = (e?: unknown): void => {
        stream.off('drain', settle);
        stream.off('close', settle);
        stream.off('error', settle);
        this.#drain = undefined;
        if (e instanceof Error) reject(e);
        else resolve();
      };
      stream.on('drain', settle);
      stream.on('close', settle);
      stream.on('error', settle);
    });
    return this.#drain;
  }
}

function defaultFormat(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}
