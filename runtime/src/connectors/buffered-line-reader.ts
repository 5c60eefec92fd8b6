// Streams a file's lines from a byte offset into a bounded buffer, and knows the byte offset after every line,
// so a reader's position can be snapshotted exactly and restored with a seek. Lines end at '\n' (a '\r'
// before it is dropped); a UTF-8 byte-order mark at the start of the file is dropped. The stream pauses when
// `maxLines` lines are buffered (the buffer can exceed that by one read chunk) and resumes at half of it.
import { createReadStream, type ReadStream } from 'node:fs';

const LF = 0x0a;
const CR = 0x0d;

export class BufferedLineReader {
  readonly #stream: ReadStream;
  readonly #maxLines: number;
  readonly #onReady: () => void;
  #lines: string[] = [];
  #ends: number[] = [];
  #head = 0;
  /** Bytes after the last line break read so far, and the file offset they start at. */
  #rest: Buffer | undefined;
  #restStart: number;
  #lastEnd: number;
  #atFileStart: boolean;
  #paused = false;
  #ended = false;
  #error: Error | undefined;

  /** `onReady` is called whenever lines arrive, the file ends, or reading fails. */
  constructor(
    file: string,
    startOffset: number,
    maxLines: number,
    onReady: () => void,
    chunkBytes = 64 * 1024,
  ) {
    this.#maxLines = maxLines;
    this.#onReady = onReady;
    this.#restStart = startOffset;
    this.#lastEnd = startOffset;
    this.#atFileStart = startOffset === 0;
    this.#stream = createReadStream(file, { start: startOffset, highWaterMark: chunkBytes });
    this.#stream.on('data', (chunk) => this.#onData(chunk as Buffer));
    this.#stream.on('end', () => this.#onEnd());
    this.#stream.on('error', (e) => {
      this.#error = e;
      this.#onReady();
    });
  }

  get buffered(): number {
    return this.#lines.length - this.#head;
  }

  /** True once every line of the file is in the buffer (it may still hold lines to shift). */
  get ended(): boolean {
    return this.#ended;
  }

  get error(): Error | undefined {
    return this.#error;
  }

  /** The byte offset just after the last line shifted: where reading resumes to get the next line. */
  get lastEnd(): number {
    return this.#lastEnd;
  }

  /** The next line, or undefined when none is buffered. */
  shift(): string | undefined {
    if (this.#head >= this.#lines.length) return undefined;
    const text = this.#lines[this.#head]!;
    this.#lastEnd = this.#ends[this.#head]!;
    this.#head++;
    if (this.#head === this.#lines.length || this.#head >= this.#maxLines) {
      this.#lines.splice(0, this.#head);
      this.#ends.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#paused && this.buffered <= this.#maxLines / 2) {
      this.#paused = false;
      this.#stream.resume();
    }
    return text;
  }

  close(): void {
    this.#stream.destroy();
  }

  #onData(chunk: Buffer): void {
    const rest = this.#rest;
    const buf = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    const base = this.#restStart;
    let start = 0;
    for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
      this.#push(buf, start, nl, base + nl + 1);
      start = nl + 1;
    }
    this.#rest = start < buf.length ? buf.subarray(start) : undefined;
    this.#restStart = base + start;
    if (!this.#paused && this.buffered >= this.#maxLines) {
      this.#paused = true;
      this.#stream.pause();
    }
    this.#onReady();
  }

  #onEnd(): void {
    const rest = this.#rest;
    if (rest !== undefined) {
      this.#rest = undefined;
      this.#push(rest, 0, rest.length, this.#restStart + rest.length);
    }
    this.#ended = true;
    this.#onReady();
  }

  /** Buffers bytes [start, stop) of `buf` as a line that ends at file offset `end`. */
  #push(buf: Buffer, start: number, stop: number, end: number): void {
    const last = stop > start && buf[stop - 1] === CR ? stop - 1 : stop;
    let text = buf.toString('utf8', start, last);
    if (this.#atFileStart) {
      this.#atFileStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#lines.push(text);
    this.#ends.push(end);
  }
}
