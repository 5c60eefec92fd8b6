// Snapshot bytes: msgpack with structured-clone extensions (Map, Set, Date, undefined survive), so keyed
// state values and source positions round-trip exactly. Encoding happens synchronously when the snapshot
// is taken: the bytes are the copy, and processing may change the live state right after. Records mode
// keeps plain objects and Maps apart (a MapState restores as a Map); every encoding carries the object
// shapes it uses, so it decodes alone. Checkpoint metadata version 2 marks this encoding.
import { Packr } from 'msgpackr';

const packr = new Packr({ structuredClone: true, useRecords: true, moreTypes: true });

export function encodeState(value: unknown): Uint8Array {
  return packr.pack(value);
}

export function decodeState<T>(bytes: Uint8Array): T {
  return packr.unpack(bytes) as T;
}
