// FileSource: bounded sources over JSON-lines and CSV files (a file, a directory, a glob, or a list of them).
// Each file is a split; file i (in sorted order) goes to subtask i mod p. A snapshot holds one
// {file, byteOffset, lineNumber, header?} per file the reader has not finished, so a restore (at any
// parallelism) seeks to where it stopped. Lines that cannot be read become dead letters with file:line.
import type { Source, SourceReader, SourceReaderContext } from '../api/source.ts';
import { type CsvOptions, csvDecoder } from './csv-decoder.ts';
import { resolveInputFiles } from './file-paths.ts';
import { FileSourceReader, type FileSplit, toFileSplit } from './file-source-reader.ts';
import { jsonLinesDecoder, type RecordSchema } from './json-lines-decoder.ts';
import type { LineDecoderFactory } from './line-decoder.ts';

export type { CsvOptions } from './csv-decoder.ts';
export type { FileSplit } from './file-source-reader.ts';
export type { RecordSchema } from './json-lines-decoder.ts';

export class FileSource<T> implements Source<T> {
  readonly boundedness = 'bounded' as const;
  /** The input files, absolute and sorted: the order that deals them to subtasks. */
  readonly files: readonly string[];
  readonly #decoder: LineDecoderFactory<T>;

  private constructor(files: readonly string[], decoder: LineDecoderFactory<T>) {
    this.files = files;
    this.#decoder = decoder;
  }

  /** One JSON value per line; with a zod schema, a value that fails `schema.safeParse` is a bad line. */
  static forJsonLines<T>(
    pathOrGlobOrDir: string | readonly string[],
    options: { readonly schema?: RecordSchema<T> } = {},
  ): FileSource<T> {
    return new FileSource<T>(resolveInputFiles(pathOrGlobOrDir), jsonLinesDecoder(options.schema));
  }

  /** CSV with RFC 4180 quoting; records are the rows (column → text) unless `parse` builds them. */
  static forCsv<T = Record<string, string>>(
    pathOrGlobOrDir: string | readonly string[],
    options: CsvOptions<T> = {},
  ): FileSource<T> {
    return new FileSource<T>(resolveInputFiles(pathOrGlobOrDir), csvDecoder(options));
  }

  createReader(ctx: SourceReaderContext, restored: unknown[] | undefined): SourceReader<T> {
    const splits: FileSplit[] =
      restored === undefined
        ? this.files
            .filter((_f, i) => i % ctx.parallelism === ctx.subtaskIndex)
            .map((file) => ({ file, byteOffset: 0, lineNumber: 0 }))
        : restored.map(toFileSplit);
    return new FileSourceReader(splits, this.#decoder);
  }
}
