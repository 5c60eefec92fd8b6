// FileSource: bounded sources over JSON-lines and CSV files (a file, a directory of files, or a list).
// Files are split over subtasks (file i to subtask i mod p) and streamed line by line with a bounded buffer.
// A line that cannot be parsed or fails its schema is reported as a dead letter with file and line number,
// never dropped silently. The snapshot is the file and line reached, so a restore resumes there.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { InputStatus, ReaderOutput, Source, SourceReader, SourceReaderContext } from '../api/source.ts';
import { parseCsvLine } from './csv-line-parser.ts';

/** Parses one line; returns the record or throws with the reason. */
export type LineParser<T> = (line: string) => T;

/** A schema with zod's safeParse shape, so zod schemas validate records without a hard dependency. */
export type RecordSchema<T> = {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } };
};

export type CsvOptions<T> = {
  /** true: the first line names the columns; an array: the column names; false: fields by position ("0", "1", ...). */
  readonly header?: boolean | readonly string[];
  readonly delimiter?: string;
  /** Builds the record from the row (column name → text); the default returns the row itself. */
  readonly parse?: (row: Record<string, string>) => T;
};

const BUFFER_LINES = 4096;

export class FileSource<T> implements Source<T> {
  readonly boundedness = 'bounded' as const;
  readonly #paths: readonly string[];
  readonly #makeParser: () => (line: string, lineNumber: number) => T | typeof SKIP;

  private constructor(
    paths: readonly string[],
    makeParser: () => (line: string, lineNumber: number) => T | typeof SKIP,
  ) {
    this.#paths = paths;
    this.#makeParser = makeParser;
  }

  static forJsonLines<T>(
    path: string | readonly string[],
    options: { schema?: RecordSchema<T> } = {},
  ): FileSource<T> {
    const schema = options.schema;
    return new FileSource<T>(listFiles(path), () => (line) => {
      if (line.trim().length === 0) return SKIP;
      const value: unknown = JSON.parse(line);
      if (schema === undefined) return value as T;
      const checked = schema.safeParse(value);
      if (!checked.success) throw new Error(`record does not match the schema: ${checked.error.message}`);
      return checked.data;
    });
  }

  static forCsv<T = Record<string, string>>(
    path: string | readonly string[],
    options: CsvOptions<T> = {},
  ): FileSource<T> {
    const delimiter = options.delimiter ?? ',';
    const header = options.header ?? true;
    const build = options.parse ?? ((row: Record<string, string>) => row as T);
    return new FileSource<T>(listFiles(path), () => {
      let columns: readonly string[] | undefined = Array.isArray(header) ? header : undefined;
      return (line, lineNumber) => {
        if (line.length === 0) return SKIP;
        const parsed = parseCsvLine(line, delimiter);
        if (!parsed.ok) throw new Error(parsed.error);
        if (header === true && lineNumber === 1) {
          columns = parsed.fields;
          return SKIP;
        }
        const names = columns ?? parsed.fields.map((_f, i) => String(i));
        if (parsed.fields.length !== names.length) {
          throw new Error(
            `expected ${names.length} fields (${names.join(', ')}), got ${parsed.fields.length}`,
          );
        }
        const row: Record<string, string> = {};
        names.forEach((name, i) => {
          row[name] = parsed.fields[i]!;
        });
        return build(row);
      };
    });
  }

  createReader(ctx: SourceReaderContext, restored: unknown[] | undefined): SourceReader<T> {
    const mine = this.#paths.filter((_p, i) => i % ctx.parallelism === ctx.subtaskIndex);
    const positions = new Map<string, number>();
    for (const s of restored ?? []) {
      const { file, line } = s as { file: string; line: number };
      positions.set(file, line);
    }
    return new FileReader<T>(mine, positions, this.#makeParser);
  }
}

const SKIP = Symbol('skip');

type Pending = { line: string; file: string; lineNumber: number };

class FileReader<T> implements SourceReader<T> {
  readonly #files: string[];
  readonly #done = new Set<string>();
  readonly #opened = new Set<string>();
  readonly #positions: Map<string, number>;
  readonly #makeParser: () => (line: string, lineNumber: number) => T | typeof SKIP;
  #parser: ((line: string, lineNumber: number) => T | typeof SKIP) | undefined;
  #current: { file: string; lines: Interface; lineNumber: number; ended: boolean } | undefined;
  #buffer: Pending[] = [];
  #head = 0;
  #waiter: (() => void) | undefined;
  #error: unknown;

  constructor(
    files: string[],
    positions: Map<string, number>,
    makeParser: () => (line: string, lineNumber: number) => T | typeof SKIP,
  ) {
    this.#files = files;
    this.#positions = positions;
    this.#makeParser = makeParser;
  }

  #open(): void {
    if (this.#current !== undefined && !this.#current.ended) return;
    const file = this.#files.find((f) => !this.#opened.has(f));
    if (file === undefined) return;
    this.#opened.add(file);
    this.#parser = this.#makeParser();
    const skipTo = this.#positions.get(file) ?? 0;
    const input = createReadStream(file, 'utf8');
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    const current = { file, lines, lineNumber: 0, ended: false };
    this.#current = current;
    lines.on('line', (line) => {
      current.lineNumber++;
      // Header lines are re-read on restore so CSV column names are known again.
      if (current.lineNumber <= skipTo && current.lineNumber > 1) return;
      if (current.lineNumber <= skipTo && current.lineNumber === 1) {
        this.#buffer.push({ line, file, lineNumber: -1 });
      } else {
        this.#buffer.push({ line, file, lineNumber: current.lineNumber });
      }
      if (this.#buffer.length - this.#head >= BUFFER_LINES) lines.pause();
      this.#wake();
    });
    lines.on('close', () => {
      if (current.ended) return;
      current.ended = true;
      this.#buffer.push({ line: '', file, lineNumber: 0 }); // end-of-file marker
      this.#wake();
    });
    input.on('error', (e: Error) => {
      this.#error = new Error(`cannot read ${file}: ${e.message}`);
      this.#wake();
    });
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }

  pollNext(output: ReaderOutput<T>, budget: number): InputStatus {
    if (this.#error !== undefined) throw this.#error;
    this.#open();
    let n = 0;
    while (n < budget && this.#head < this.#buffer.length) {
      const p = this.#buffer[this.#head++]!;
      if (p.lineNumber === 0) {
        this.#done.add(p.file);
        this.#positions.delete(p.file);
        continue;
      }
      const headerReplay = p.lineNumber === -1;
      const lineNumber = headerReplay ? 1 : p.lineNumber;
      let value: T | typeof SKIP;
      try {
        value = this.#parser!(p.line, lineNumber);
      } catch (e) {
        if (!headerReplay) output.deadLetter(p.line, `${p.file}:${lineNumber}`, e);
        this.#positions.set(p.file, lineNumber);
        continue;
      }
      if (!headerReplay) this.#positions.set(p.file, lineNumber);
      if (value !== SKIP && !headerReplay) {
        output.collect(value);
        n++;
      }
    }
    if (this.#head === this.#buffer.length) {
      this.#buffer = [];
      this.#head = 0;
      if (this.#current !== undefined && !this.#current.ended) this.#current.lines.resume();
    }
    if (this.#done.size === this.#files.length) return 'end-of-input';
    if (this.#head < this.#buffer.length) return 'more-available';
    this.#open();
    return 'nothing-available';
  }

  isAvailable(): Promise<void> {
    if (this.#head < this.#buffer.length || this.#error !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  snapshotState(): unknown[] {
    return [...this.#positions].filter(([f]) => !this.#done.has(f)).map(([file, line]) => ({ file, line }));
  }

  close(): void {
    const current = this.#current;
    if (current !== undefined && !current.ended) {
      current.ended = true;
      current.lines.close();
    }
  }
}

function listFiles(path: string | readonly string[]): string[] {
  const paths = typeof path === 'string' ? [path] : [...path];
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(abs);
    } catch {
      throw new Error(`FileSource: ${p} does not exist; give a file, a directory or a list of files`);
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(abs).sort()) if (!f.startsWith('.')) files.push(join(abs, f));
    } else files.push(abs);
  }
  return files;
}
