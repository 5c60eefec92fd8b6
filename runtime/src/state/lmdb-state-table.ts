// A state table on local disk in LMDB (the `lmdb` package), for state larger than the heap: Riffle's
// counterpart of Flink's RocksDB state backend. Entries are keyed [key, namespace] in one LMDB database per
// state name and encoded with the checkpoint codec (msgpackr with structured clone), so any value a heap
// table holds round-trips. A bounded write-back cache in front keeps hot entries as live objects: callers may
// change a value they got in place (a list state appends), so an entry handed out counts as dirty and is
// written back when it is evicted or before a snapshot reads the database.
import type { Database, Key } from 'lmdb';
import { decodeState, encodeState } from '../checkpoint/state-encoding.ts';
import type { NormalizedKey } from './key-normalizer.ts';
import type { AnyStateDescriptor } from './state-descriptor.ts';
import type { Namespace, StateTable } from './state-table.ts';
import type { StateTtlConfig } from './state-ttl-config.ts';

/** A cached entry; `value` undefined is a removal not yet written. */
type CachedEntry = { key: NormalizedKey; ns: Namespace; value: unknown; dirty: boolean };

/** What the tables of one backend share: the entry cache budget and its bookkeeping. */
export type LmdbCache = { readonly capacity: number };

const BIGINT_PREFIX = '\u0000bigint:';
const NULL_KEY = '\u0000null';

/** LMDB keys order strings, numbers and booleans; bigint and null keys are stored as tagged strings. */
function storedKey(key: NormalizedKey): string | number | boolean {
  if (key === null) return NULL_KEY;
  return typeof key === 'bigint' ? BIGINT_PREFIX + key.toString() : key;
}

function fromStoredKey(stored: unknown): NormalizedKey {
  if (stored === NULL_KEY) return null;
  if (typeof stored === 'string' && stored.startsWith(BIGINT_PREFIX))
    return BigInt(stored.slice(BIGINT_PREFIX.length));
  return stored as NormalizedKey;
}

function cacheKey(key: NormalizedKey, ns: Namespace): string {
  return `${typeof key}:${String(key)}\u0000${typeof ns}:${ns}`;
}

export class LmdbStateTable implements StateTable {
  readonly descriptor: AnyStateDescriptor;
  readonly ttl: StateTtlConfig | undefined;
  readonly #db: Database<Uint8Array, Key>;
  readonly #cache: Map<string, CachedEntry>;
  readonly #capacity: number;

  constructor(
    descriptor: AnyStateDescriptor,
    db: Database<Uint8Array, Key>,
    capacity: number,
    cache = new Map<string, CachedEntry>(),
  ) {
    this.descriptor = descriptor;
    this.ttl = descriptor.ttl;
    this.#db = db;
    this.#capacity = capacity;
    this.#cache = cache;
  }

  get(key: NormalizedKey, ns: Namespace): unknown {
    const id = cacheKey(key, ns);
    const cached = this.#cache.get(id);
    if (cached !== undefined) {
      cached.dirty = true;
      return cached.value;
    }
    const bytes = this.#db.getBinaryFast([storedKey(key), ns]);
    if (bytes === undefined) return undefined;
    const value = decodeState<unknown>(bytes);
    this.#admit(id, { key, ns, value, dirty: true });
    return value;
  }

  put(key: NormalizedKey, ns: Namespace, value: unknown): void {
    const id = cacheKey(key, ns);
    const cached = this.#cache.get(id);
    if (cached !== undefined) {
      cached.value = value;
      cached.dirty = true;
    } else this.#admit(id, { key, ns, value, dirty: true });
  }

  remove(key: NormalizedKey, ns: Namespace): void {
    this.put(key, ns, undefined);
  }

  cleanupIncrementally(
    now: number,
    isExpired: (stored: unknown, now: number) => boolean,
    budget: number,
  ): void {
    // Only cached entries are examined: expired values on disk are dropped by full snapshots.
    let seen = 0;
    for (const entry of this.#cache.values()) {
      if (seen++ >= budget) return;
      if (entry.value !== undefined && isExpired(entry.value, now)) {
        entry.value = undefined;
        entry.dirty = true;
      }
    }
  }

  *entries(): Iterable<[NormalizedKey, Namespace, unknown]> {
    this.flush();
    for (const { key, value } of this.#db.getRange()) {
      const [k, ns] = key as [unknown, Namespace];
      yield [fromStoredKey(k), ns, decodeState<unknown>(value)];
    }
  }

  withDescriptor(descriptor: AnyStateDescriptor): StateTable {
    this.flush();
    return new LmdbStateTable(descriptor, this.#db, this.#capacity, this.#cache);
  }

  /** Writes every dirty cached entry to LMDB (one transaction); the cache keeps them, clean. */
  flush(): void {
    const dirty: CachedEntry[] = [];
    for (const entry of this.#cache.values()) if (entry.dirty) dirty.push(entry);
    this.#write(dirty);
    for (const entry of dirty) entry.dirty = false;
  }

  /** Entries in the cache (for tests and metrics). */
  get cachedEntries(): number {
    return this.#cache.size;
  }

  #admit(id: string, entry: CachedEntry): void {
    this.#cache.set(id, entry);
    if (this.#cache.size <= this.#capacity) return;
    // Evict the oldest tenth in one transaction (insertion order approximates least recently admitted).
    const evicted: CachedEntry[] = [];
    const count = Math.max(1, Math.floor(this.#capacity / 10));
    let removed = 0;
    for (const [k, e] of this.#cache) {
      if (removed++ >= count) break;
      this.#cache.delete(k);
      if (e.dirty) evicted.push(e);
    }
    this.#write(evicted);
  }

  #write(entries: CachedEntry[]): void {
    if (entries.length === 0) return;
    this.#db.transactionSync(() => {
      for (const e of entries) {
        const k: Key = [storedKey(e.key), e.ns];
        if (e.value === undefined) this.#db.removeSync(k);
        else this.#db.putSync(k, encodeState(e.value));
      }
    });
  }
}
