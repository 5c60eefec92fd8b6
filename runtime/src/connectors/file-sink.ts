// FileSink: JSON lines into part files named like Flink's, `part-<subtaskIndex>-<counter>.jsonl`, in a
// directory it creates. A part is written as `<name>.inprogress` through a buffered write stream.
//
// Part lifecycle (two-phase, as Flink's FileSink):
//   .inprogress --roll over (maxRecords/maxBytes), prepareCommit or close--> .pending --commit--> final
// prepareCommit(checkpointId) seals the open part and returns the names of every pending part (the
// committable); commit(committable) renames them to their final names, and is idempotent, so a commit
// retried after a restore is harmless. Without checkpoints, flush(true) at the end of a bounded input
// seals and commits everything; an unbounded job that is cancelled leaves its parts pending.
//
// The counter starts after the highest part of this subtask already in the directory, so a second run
// into the same directory adds parts instead of overwriting them.
import { once } from 'node:events';
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Sink, SinkContext, SinkWriter } from '../api/sink.ts';

export type FileSinkOptions<T> = {
  /** Roll to a new part after this many records or bytes (128 MiB by default), whichever comes first. */
  readonly rollover?: { readonly maxRecords?: number; readonly maxBytes?: number };
  /** One line of output per record, without the newline; JSON.stringify by default. */
  readonly format?: (value: T) => string;
};

/** What prepareCommit returns and commit takes: the names of sealed parts, relative to the directory. */
export type FileSinkCommittable = readonly string[];

const WRITE_BATCH_CHARS = 64 * 1024;

export class FileSink<T> implements Sink<T> {
  readonly directory: string;
  readonly #options: FileSinkOptions<T>;

  private constructor(directory: string, options: FileSinkOptions<T>) {
    for (const field of ['maxRecords', 'maxBytes'] as const) {
      const limit = options.rollover?.[field];
      if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0)) {
        throw new RangeError(`FileSink rollover.${field} must be a positive integer, got ${limit}`);
      }
    }
    this.directory = directory;
    this.#options = options;
  }

  static forJsonLines<T>(directory: string, options: FileSinkOptions<T> = {}): FileSink<T> {
    return new FileSink(directory, options);
  }

  async createWriter(ctx: SinkContext): Promise<FileSinkWriter<T>> {
    await mkdir(this.directory, { recursive: true });
    const counter = nextPartCounter(await readdir(this.directory), ctx.subtaskIndex);
    return new FileSinkWriter<T>(this.directory, ctx.subtaskIndex, counter, this.#options);
  }
}

/** One more than the highest counter among this subtask's parts (in any state) already in the directory. */
function nextPartCounter(names: readonly string[], subtask: number): number {
  const pattern = new RegExp(`^part-${subtask}-(\\d+)\\.jsonl(\\.inprogress|\\.pending)?$`);
  let next = 0;
  for (const name of names) {
    const m = pattern.exec(name);
    if (m !== null) next = Math.max(next, Number(m[1]) + 1);
  }
  return next;
}

type Part = {
  readonly name: string;
  readonly stream: WriteStream;
  records: number;
  bytes: number;
  /** The stream's first error (a full disk, a name taken): the next write or seal fails with it. */
  error: Error | undefined;
};

export class FileSinkWriter<T> implements SinkWriter<T> {
  readonly #dir: string;
  readonly #subtask: number;
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  readonly #format: (value: T) => string;
  #counter: number;
  #part: Part | undefined;
  /** Lines not yet handed to the part's stream. */
  #batch = '';
  /** Seals run one after another; this is the last one (a rejected seal fails every later await). */
  #sealing: Promise<void> = Promise.resolve();
  /** Sealed parts not yet handed out by prepareCommit. */
  #pending: string[] = [];

  constructor(dir: string, subtask: number, counter: number, options: FileSinkOptions<T>) {
    this.#dir = dir;
    this.#subtask = subtask;
    this.#counter = counter;
    this.#maxRecords = options.rollover?.maxRecords ?? Number.POSITIVE_INFINITY;
    this.#maxBytes = options.rollover?.maxBytes ?? 128 * 1024 * 1024;
    this.#format = options.format ?? ((v) => JSON.stringify(v));
  }

  /** Returns a promise only when the part's stream is full (backpressure) or the part rolls over. */
  write(value: T): Promise<void> | undefined {
    const line = `${this.#format(value)}\n`;
    const part = this.#part ?? this.#openPart();
    if (part.error !== undefined)
      throw new Error(`FileSink cannot write ${part.name}: ${part.error.message}`);
    part.records++;
    part.bytes += Buffer.byteLength(line);
    this.#batch += line;
    if (part.records >= this.#maxRecords || part.bytes >= this.#maxBytes) return this.#seal();
    if (this.#batch.length < WRITE_BATCH_CHARS) return undefined;
    return this.#writeBatch(part);
  }

  /** Writes buffered lines to the file and waits until they are written; at end of input, commits all. */
  async flush(endOfInput: boolean): Promise<void> {
    if (endOfInput) {
      await this.commit(await this.prepareCommit());
      return;
    }
    const part = this.#part;
    if (part !== undefined) {
      const batch = this.#batch;
      this.#batch = '';
      // The callback runs once this (and so every earlier) chunk is in the file.
      await new Promise<void>((resolve, reject) => {
        part.stream.write(batch, (e) => (e ? reject(e) : resolve()));
      });
    }
    await this.#sealing;
  }

  /** Seals the open part as `.pending` and returns every pending part's name, for commit(). */
  async prepareCommit(_checkpointId?: number): Promise<FileSinkCommittable> {
    await this.#seal();
    return this.#pending.splice(0);
  }

  /** Renames prepared parts to their final names; parts already final are skipped. */
  async commit(committable: unknown): Promise<void> {
    for (const name of committable as FileSinkCommittable) {
      const pending = join(this.#dir, `${name}.pending`);
      try {
        await rename(pending, join(this.#dir, name));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !(await exists(join(this.#dir, name)))) {
          throw new Error(`FileSink cannot commit ${pending}: ${(e as Error).message}`, { cause: e });
        }
      }
    }
  }

  /** Seals the open part as `.pending`: its data is complete, but it becomes final only when committed. */
  async close(): Promise<void> {
    await this.#seal();
  }

  #openPart(): Part {
    const name = `part-${this.#subtask}-${this.#counter++}.jsonl`;
    // Opened at once, so the part exists with its first record, and exclusively ('wx'): an existing file is
    // never overwritten.
    const fd = openSync(join(this.#dir, `${name}.inprogress`), 'wx');
    const stream = createWriteStream('', { fd });
    const part: Part = { name, stream, records: 0, bytes: 0, error: undefined };
    stream.on('error', (e) => {
      part.error ??= e;
    });
    this.#part = part;
    return part;
  }

  #writeBatch(part: Part): Promise<void> | undefined {
    if (this.#batch.length === 0) return undefined;
    const ok = part.stream.write(this.#batch);
    this.#batch = '';
    return ok ? undefined : once(part.stream, 'drain').then(() => undefined);
  }

  /** Closes the open part and renames it to `.pending`, after any earlier seal. */
  #seal(): Promise<void> {
    const part = this.#part;
    if (part !== undefined) {
      this.#part = undefined;
      const batch = this.#batch;
      this.#batch = '';
      this.#sealing = this.#sealing.then(async () => {
        part.stream.end(batch);
        await finished(part.stream);
        await rename(join(this.#dir, `${part.name}.inprogress`), join(this.#dir, `${part.name}.pending`));
        this.#pending.push(part.name);
      });
    }
    return this.#sealing;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
