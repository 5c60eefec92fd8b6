// How a FileSource turns lines into records. A decoder is made per file; it returns a record, SKIP (a blank
// line, a header), or INCOMPLETE (the record goes on in the next line: a CSV quoted field with a newline),
// and throws with the reason when the line is bad (the reader then dead-letters it with file and line).

export const SKIP: unique symbol = Symbol('skip line');
export const INCOMPLETE: unique symbol = Symbol('record continues on the next line');

export interface LineDecoder<T> {
  decode(text: string): T | typeof SKIP | typeof INCOMPLETE;
  /** Column names read from the file's own header: kept in the snapshot, so a restore past it knows them. */
  readonly header?: readonly string[] | undefined;
}

/** Makes the decoder of one file, given the header a snapshot kept for it (if any). */
export type LineDecoderFactory<T> = (header: readonly string[] | undefined) => LineDecoder<T>;
