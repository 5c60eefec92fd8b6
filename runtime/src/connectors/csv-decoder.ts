// CSV rows (RFC 4180 quoting, see csv-line-parser.ts) into records. With `header: true` the file's first
// record names the columns; with a list, the list does; with false, fields are named by position ("0",
// "1", ...). A row whose field count differs from the header's is a bad line; empty lines are skipped.
import { parseCsvLine } from './csv-line-parser.ts';
import { INCOMPLETE, type LineDecoder, type LineDecoderFactory, SKIP } from './line-decoder.ts';

export type CsvOptions<T> = {
  /** true (the default): the first line names the columns; a list: the column names; false: by position. */
  readonly header?: boolean | readonly string[];
  /** One character, ',' by default. */
  readonly delimiter?: string;
  /** Builds the record from the row (column name → text); the default returns the row itself. */
  readonly parse?: (row: Record<string, string>) => T;
};

export function csvDecoder<T>(options: CsvOptions<T>): LineDecoderFactory<T> {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new RangeError(
      `FileSource.forCsv delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`,
    );
  }
  const header = options.header ?? true;
  const build = options.parse ?? ((row: Record<string, string>) => row as T);
  return (restoredHeader) => {
    if (header === true) return new CsvDecoder(delimiter, build, restoredHeader, true);
    return new CsvDecoder(delimiter, build, header === false ? undefined : header, false);
  };
}

class CsvDecoder<T> implements LineDecoder<T> {
  readonly #delimiter: string;
  readonly #build: (row: Record<string, string>) => T;
  readonly #headerInFile: boolean;
  #columns: readonly string[] | undefined;

  constructor(
    delimiter: string,
    build: (row: Record<string, string>) => T,
    columns: readonly string[] | undefined,
    headerInFile: boolean,
  ) {
    this.#delimiter = delimiter;
    this.#build = build;
    this.#columns = columns;
    this.#headerInFile = headerInFile;
  }

  get header(): readonly string[] | undefined {
    return this.#headerInFile ? this.#columns : undefined;
  }

  decode(text: string): T | typeof SKIP | typeof INCOMPLETE {
    if (text.length === 0) return SKIP;
    const parsed = parseCsvLine(text, this.#delimiter);
    if (!parsed.ok) {
      if (parsed.incomplete) return INCOMPLETE;
      throw new Error(parsed.error);
    }
    const fields = parsed.fields;
    const columns = this.#columns;
    if (columns === undefined) {
      if (this.#headerInFile) {
        this.#columns = fields;
        return SKIP;
      }
      const row: Record<string, string> = {};
      for (let i = 0; i < fields.length; i++) row[i] = fields[i]!;
      return this.#build(row);
    }
    if (fields.length !== columns.length) {
      throw new Error(`expected ${columns.length} fields (${columns.join(', ')}), got ${fields.length}`);
    }
    const row: Record<string, string> = {};
    for (let i = 0; i < fields.length; i++) row[columns[i]!] = fields[i]!;
    return this.#build(row);
  }
}
