// The reader of a FileSource subtask: reads its files one after another through a bounded line buffer.
// pollNext decodes buffered lines (at most `budget` per call) and never waits; isAvailable resolves when
// lines arrive. A bad line goes to output.deadLetter with `file:line` (the record's first line for a CSV
// record over several lines); nothing is dropped silently. The position advances only past whole records,
// so a snapshot taken inside a multi-line record resumes at its start.
import type { InputStatus, ReaderOutput, SourceReader } from '../api/source.ts';
import { BufferedLineReader } from './buffered-line-reader.ts';
import { INCOMPLETE, type LineDecoder, type LineDecoderFactory, SKIP } from './line-decoder.ts';

/** A file and how far it has been read: the byte offset and number of lines before the next record. */
export type FileSplit = {
  readonly file: string;
  readonly byteOffset: number;
  readonly lineNumber: number;
  readonly header?: readonly string[];
};

const BUFFER_LINES = 4096;
/** A record over several lines (an open quoted field) longer than this is a bad record. */
const MAX_RECORD_CHARS = 1 << 20;

type OpenFile<T> = {
  readonly file: string;
  readonly lines: BufferedLineReader;
  readonly decoder: LineDecoder<T>;
  /** Lines shifted so far, counting from the start of the file. */
  lineNumber: number;
  /** The position after the last whole record (what a snapshot holds). */
  committedOffset: number;
  committedLine: number;
  /** The lines so far of a record that continues, and its first line number. */
  partial: string | undefined;
  partialStart: number;
};

export class FileSourceReader<T> implements SourceReader<T> {
  readonly #queue: FileSplit[];
  readonly #makeDecoder: LineDecoderFactory<T>;
  #current: OpenFile<T> | undefined;
  #ready: PromiseWithResolvers<void> | undefined;

  constructor(splits: readonly FileSplit[], makeDecoder: LineDecoderFactory<T>) {
    this.#queue = [...splits];
    this.#makeDecoder = makeDecoder;
  }

  pollNext(output: ReaderOutput<T>, budget: number): InputStatus {
    let n = 0;
    for (;;) {
      const cur = this.#current ?? this.#openNext();
      if (cur === undefined) return 'end-of-input';
      for (; n < budget; n++) {
        const text = cur.lines.shift();
        if (text === undefined) break;
        this.#handleLine(cur, text, output);
      }
      if (n >= budget) return 'more-available';
      const error = cur.lines.error;
      if (error !== undefined)
        throw new Error(`FileSource cannot read ${cur.file}: ${error.message}`, { cause: error });
      if (!cur.lines.ended) return 'nothing-available';
      if (cur.partial !== undefined) {
        const where = `${cur.file}:${cur.partialStart}`;
        const partial = cur.partial;
        cur.partial = undefined;
        output.deadLetter(partial, where, new Error('unterminated quoted field at the end of the file'));
      }
      cur.lines.close();
      this.#current = undefined;
    }
  }

  isAvailable(): Promise<void> {
    const cur = this.#current;
    if (cur === undefined || cur.lines.buffered > 0 || cur.lines.ended || cur.lines.error !== undefined) {
      return Promise.resolve();
    }
    this.#ready ??= Promise.withResolvers<void>();
    return this.#ready.promise;
  }

  snapshotState(): FileSplit[] {
    const splits: FileSplit[] = [];
    const cur = this.#current;
    if (cur !== undefined) {
      const header = cur.decoder.header;
      splits.push({
        file: cur.file,
        byteOffset: cur.committedOffset,
        lineNumber: cur.committedLine,
        ...(header === undefined ? {} : { header: [...header] }),
      });
    }
    return [...splits, ...this.#queue];
  }

  close(): void {
    this.#current?.lines.close();
    this.#current = undefined;
  }

  #openNext(): OpenFile<T> | undefined {
    const split = this.#queue.shift();
    if (split === undefined) return undefined;
    const lines = new BufferedLineReader(split.file, split.byteOffset, BUFFER_LINES, () => this.#wake());
    this.#current = {
      file: split.file,
      lines,
      decoder: this.#makeDecoder(split.header),
      lineNumber: split.lineNumber,
      committedOffset: split.byteOffset,
      committedLine: split.lineNumber,
      partial: undefined,
      partialStart: 0,
    };
    return this.#current;
  }

  #wake(): void {
    const ready = this.#ready;
    this.#ready = undefined;
    ready?.resolve();
  }

  #handleLine(cur: OpenFile<T>, text: string, output: ReaderOutput<T>): void {
    cur.lineNumber++;
    const record = cur.partial === undefined ? text : `${cur.partial}\n${text}`;
    const start = cur.partial === undefined ? cur.lineNumber : cur.partialStart;
    let value: T | typeof SKIP | typeof INCOMPLETE;
    try {
      value = cur.decoder.decode(record);
    } catch (e) {
      value = SKIP;
      output.deadLetter(record, `${cur.file}:${start}`, e);
    }
    if (value === INCOMPLETE) {
      if (record.length <= MAX_RECORD_CHARS) {
        cur.partial = record;
        cur.partialStart = start;
        return;
      }
      output.deadLetter(
        record,
        `${cur.file}:${start}`,
        new Error(`unterminated quoted field: the record runs over ${MAX_RECORD_CHARS} characters`),
      );
    }
    cur.partial = undefined;
    cur.committedOffset = cur.lines.lastEnd;
    cur.committedLine = cur.lineNumber;
    if (value !== SKIP && value !== INCOMPLETE) output.collect(value);
  }
}

/** Reads a split back from snapshot data, checking its shape. */
export function toFileSplit(state: unknown): FileSplit {
  const s = state as Partial<FileSplit> | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    typeof s.file !== 'string' ||
    !Number.isSafeInteger(s.byteOffset) ||
    !Number.isSafeInteger(s.lineNumber)
  ) {
    throw new TypeError(`FileSource cannot restore from ${JSON.stringify(state)}`);
  }
  return s.header === undefined
    ? { file: s.file, byteOffset: s.byteOffset!, lineNumber: s.lineNumber! }
    : { file: s.file, byteOffset: s.byteOffset!, lineNumber: s.lineNumber!, header: [...s.header] };
}
