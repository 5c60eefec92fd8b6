// FileSink: JSON lines into part files named like Flink's (`part-<subtask>-<counter>.jsonl`). A part is
// written as `.inprogress`, rolled over by record count or size, and made final by rename. As a two-phase
// sink, prepareCommit seals the open part as `.pending` and commit renames the pending parts to their
// final names, so only output of completed checkpoints becomes visible.
import { once } from 'node:events';
import { createWriteStream, mkdirSync, openSync, renameSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Sink, SinkContext, SinkWriter } from '../api/sink.ts';

export type FileSinkOptions<T> = {
  readonly rollover?: { readonly maxRecords?: number; readonly maxBytes?: number };
  readonly format?: (value: T) => string;
};

export class FileSink<T> implements Sink<T> {
  readonly #directory: string;
  readonly #options: FileSinkOptions<T>;

  private constructor(directory: string, options: FileSinkOptions<T>) {
    this.#directory = directory;
    this.#options = options;
  }

  static forJsonLines<T>(directory: string, options: FileSinkOptions<T> = {}): FileSink<T> {
    return new FileSink(directory, options);
  }

  createWriter(ctx: SinkContext): SinkWriter<T> {
    mkdirSync(this.#directory, { recursive: true });
    return new FileSinkWriter<T>(this.#directory, ctx.subtaskIndex, this.#options);
  }
}

type Part = { name: string; stream: WriteStream; records: number; bytes: number };

class FileSinkWriter<T> implements SinkWriter<T> {
  readonly #dir: string;
  readonly #subtask: number;
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  readonly #format: (value: T) => string;
  #counter = 0;
  #part: Part | undefined;
  #pending: string[] = [];

  constructor(dir: string, subtask: number, options: FileSinkOptions<T>) {
    this.#dir = dir;
    this.#subtask = subtask;
    this.#maxRecords = options.rollover?.maxRecords ?? Number.POSITIVE_INFINITY;
    this.#maxBytes = options.rollover?.maxBytes ?? 128 * 1024 * 1024;
    this.#format = options.format ?? ((v) => JSON.stringify(v));
  }

  write(value: T): Promise<void> | undefined {
    if (this.#part === undefined) {
      const name = `part-${this.#subtask}-${this.#counter++}.jsonl`;
      // Opened synchronously so the in-progress part exists as soon as it has a record.
      const fd = openSync(join(this.#dir, `${name}.inprogress`), 'w');
      this.#part = { name, stream: createWriteStream('', { fd }), records: 0, bytes: 0 };
    }
    const part = this.#part;
    const line = `${this.#format(value)}\n`;
    part.records++;
    part.bytes += Buffer.byteLength(line);
    const ok = part.stream.write(line);
    if (part.records >= this.#maxRecords || part.bytes >= this.#maxBytes)
      return this.#seal('.pending').then(() => undefined);
    return ok ? undefined : once(part.stream, 'drain').then(() => undefined);
  }

  /** Closes the open part and renames it from .inprogress to `suffix` ('' = final). */
  async #seal(suffix: string): Promise<void> {
    const part = this.#part;
    if (part === undefined) return;
    this.#part = undefined;
    part.stream.end();
    await once(part.stream, 'finish');
    renameSync(join(this.#dir, `${part.name}.inprogress`), join(this.#dir, part.name + suffix));
    if (suffix === '.pending') this.#pending.push(part.name);
  }

  async flush(endOfInput: boolean): Promise<void> {
    if (!endOfInput) return;
    await this.#seal('.pending');
    this.commit(this.#pending.splice(0));
  }

  async prepareCommit(): Promise<string[]> {
    await this.#seal('.pending');
    return this.#pending.splice(0);
  }

  commit(committable: unknown): void {
    for (const name of committable as string[]) {
      renameSync(join(this.#dir, `${name}.pending`), join(this.#dir, name));
    }
  }

  async close(): Promise<void> {
    const part = this.#part;
    if (part !== undefined) {
      this.#part = undefined;
      part.stream.end();
      await once(part.stream, 'finish');
    }
  }
}
