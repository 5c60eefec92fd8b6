// Prints records as lines, Flink style: `prefix> value`, or `subtask> value` when the sink runs with
// parallelism above 1. Writes are batched and honour the stream's backpressure.
import type { Writable } from 'node:stream';
import type { Sink, SinkContext, SinkWriter } from '../api/sink.ts';

export type PrintSinkOptions<T> = {
  readonly prefix?: string;
  readonly stderr?: boolean;
  readonly format?: (value: T) => string;
  readonly stream?: Writable;
};

export class PrintSink<T> implements Sink<T> {
  readonly #options: PrintSinkOptions<T>;

  constructor(options: PrintSinkOptions<T> = {}) {
    this.#options = options;
  }

  createWriter(ctx: SinkContext): SinkWriter<T> {
    const stream = this.#options.stream ?? (this.#options.stderr ? process.stderr : process.stdout);
    const format = this.#options.format ?? defaultFormat;
    const tag =
      this.#options.prefix !== undefined
        ? ctx.parallelism > 1
          ? `${this.#options.prefix}:${ctx.subtaskIndex + 1}> `
          : `${this.#options.prefix}> `
        : ctx.parallelism > 1
          ? `${ctx.subtaskIndex + 1}> `
          : '';
    let pending = '';
    let scheduled = false;
    const flush = (): Promise<void> | undefined => {
      scheduled = false;
      if (pending.length === 0) return undefined;
      const ok = stream.write(pending);
      pending = '';
      return ok ? undefined : new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    };
    return {
      write(value: T) {
        pending += `${tag}${format(value)}\n`;
        if (pending.length >= 16_384) return flush();
        if (!scheduled) {
          // Lines written in one turn of the event loop go out together, soon after.
          scheduled = true;
          setImmediate(flush);
        }
        return undefined;
      },
      async flush() {
        await flush();
      },
      async close() {
        await flush();
      },
    };
  }
}

function defaultFormat(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return String(value);
  }
}
