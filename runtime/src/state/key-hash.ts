// Canonical hashing of record keys. JavaScript has no hashCode(), so a key is hashed through a
// canonical encoding of its value: a type tag plus the value's bits. The same key gives the same hash in
// every process and after every restart, which is what lets state be redistributed by key group.
import { murmurHashString, murmurHashWords } from './murmur-hash.ts';

/** The key types keyBy accepts: primitives, or arrays (tuples) of them. */
export type KeyValue = string | number | boolean | bigint | null | readonly KeyValue[];

const TAG_STRING = 0x5354;
const TAG_NUMBER = 0x4e55;
const TAG_TRUE = 0x5452;
const TAG_FALSE = 0x4641;
const TAG_NULL = 0x4e4c;
const TAG_BIGINT = 0x4249;
const TAG_TUPLE = 0x5455;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export class InvalidKeyError extends Error {
  constructor(detail: string) {
    super(
      `invalid key: ${detail}. A key selector must return a string, number, boolean, bigint, null, ` +
        'or an array (tuple) of those; for an object key return a tuple of its fields, e.g. [o.a, o.b]',
    );
    this.name = 'InvalidKeyError';
  }
}

/** Returns the canonical 32-bit hash code of a key (unsigned). */
export function keyHashCode(key: unknown): number {
  switch (typeof key) {
    case 'string':
      return murmurHashString(key, TAG_STRING);
    case 'number': {
      if (Number.isInteger(key) && key >= -2147483648 && key <= 2147483647) {
        return murmurHashWords([TAG_NUMBER, key], 0);
      }
      f64[0] = key === 0 ? 0 : Number.isNaN(key) ? Number.NaN : key; // -0 and 0 are one key
      return murmurHashWords([TAG_NUMBER, u32[0]!, u32[1]!], 1);
    }
    case 'boolean':
      return murmurHashWords([key ? TAG_TRUE : TAG_FALSE], 0);
    case 'bigint':
      return murmurHashString(key.toString(16), TAG_BIGINT);
    case 'object': {
      if (key === null) return murmurHashWords([TAG_NULL], 0);
      if (Array.isArray(key)) {
        const words = [TAG_TUPLE, key.length];
        for (const part of key) words.push(keyHashCode(part) | 0);
        return murmurHashWords(words, 0);
      }
      throw new InvalidKeyError(`got an object (${describe(key)})`);
    }
    default:
      throw new InvalidKeyError(`got ${typeof key}`);
  }
}

function describe(value: object): string {
  const name = value.constructor?.name ?? 'Object';
  try {
    return `${name} ${JSON.stringify(value).slice(0, 60)}`;
  } catch {
    return name;
  }
}
