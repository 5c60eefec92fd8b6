// Keys as JavaScript Map keys. Primitives are their own map key; tuples become a canonical string so that
// equal tuples land on one entry. The original key is recoverable from the map key.
import type { KeyValue } from './key-hash.ts';

export type NormalizedKey = string | number | boolean | bigint | null;

const TUPLE_PREFIX = '\u0000tuple:';

export function normalizeKey(key: KeyValue): NormalizedKey {
  if (Array.isArray(key)) {
    return (
      TUPLE_PREFIX + JSON.stringify(key, (_k, v) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v))
    );
  }
  return key as NormalizedKey;
}

export function denormalizeKey(normalized: NormalizedKey): KeyValue {
  if (typeof normalized === 'string' && normalized.startsWith(TUPLE_PREFIX)) {
    return JSON.parse(normalized.slice(TUPLE_PREFIX.length), (_k, v) =>
      v !== null && typeof v === 'object' && typeof v.$bigint === 'string' ? BigInt(v.$bigint) : v,
    ) as KeyValue;
  }
  return normalized;
}
