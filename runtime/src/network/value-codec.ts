// The values of a record batch on the wire: msgpackr with its record extension. Each batch carries the
// definition of every object shape it uses once, and its objects refer to it, so a batch is self-describing:
// it decodes alone, in any order, with no state shared by the two ends. See docs/adr/0002-record-codec.md.
//
// Round-trips exactly: numbers (NaN, ±Infinity; -0 decodes as 0), strings, booleans, null, undefined,
// arrays, plain objects (including undefined properties), bigint, Date, Map, Set, Uint8Array.
// Class instances arrive as plain objects; null-prototype objects as ordinary ones.
import { Packr, Unpackr } from 'msgpackr';

const packr = new Packr({ useRecords: true, moreTypes: true });
const unpackr = new Unpackr({ useRecords: true, moreTypes: true });

/** The encoding of `values`; a view into the encoder's buffer, valid until the next call: copy it. */
export function encodeValues(values: unknown[]): Uint8Array {
  return packr.pack(values);
}

export function decodeValues(bytes: Uint8Array): unknown[] {
  return unpackr.unpack(bytes) as unknown[];
}
