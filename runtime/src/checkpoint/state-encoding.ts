// Snapshot bytes: msgpack with structured-clone extensions (Map, Set, Date, undefined survive), so keyed
// state values and source positions round-trip exactly. Encoding happens synchronously when the snapshot
// is taken: the bytes are the copy, and processing may change the live state right after.
import { Packr } from 'msgpackr';

const packr = new Packr({ structuredClone: true, useRecords: false, moreTypes: true });

export function encodeState(value: unknown): Uint8Array {
  return packr.pack(value);
}

export function decodeState<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}
