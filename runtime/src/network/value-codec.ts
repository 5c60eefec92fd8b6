// The values of record batches on the wire: msgpackr with record structures in sequential mode. The first
// batch of a channel carries each object shape's definition and later batches refer to it, so a decoder must
// see every batch of its encoder, in order: one encoder/decoder pair per channel. See docs/adr/0002.
//
// Round-trips exactly: numbers (NaN, ±Infinity; -0 decodes as 0), strings, booleans, null, undefined,
// arrays, plain objects (including undefined properties), bigint, Date, Map, Set, Uint8Array.
// Class instances arrive as plain objects; null-prototype objects as ordinary ones.
import { Packr, Unpackr } from 'msgpackr';

/** A fresh object per instance: msgpackr keeps each instance's structures on the options object. */
function options() {
  return { useRecords: true, sequential: true, moreTypes: true };
}

export type ValueEncoder = { encode(values: unknown[]): Uint8Array };
export type ValueDecoder = { decode(bytes: Uint8Array): unknown[] };

export function createValueEncoder(): ValueEncoder {
  const packr = new Packr(options());
  return { encode: (values) => packr.pack(values) };
}

export function createValueDecoder(): ValueDecoder {
  const unpackr = new Unpackr(options());
  return { decode: (bytes) => unpackr.unpack(bytes) as unknown[] };
}
