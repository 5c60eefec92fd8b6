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

/** (key, namespace) pairs written or handed out since changes were last taken, by cache key. */
export type ChangedEntries = Map<string, [NormalizedKey, Namespace]>;

/** Reads values as of the moment it was opened, while writes go on; `done` releases the snapshot. */
export type SnapshotReader = { get(key: NormalizedKey, ns: Namespace): unknown; done(): void };

/** What the tables of one state share across descriptor changes. */
type Store = {
  readonly db: Database<Uint8Array, Key>;
  readonly capacity: number;
  readonly cache: Map<string, CachedEntry>;
  changes: ChangedEntries;
};

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
  readonly #store: Store;
  readonly #db: Database<Uint8Array, Key>;
  readonly #cache: Map<string, CachedEntry>;
  readonly #capacity: number;

  constructor(descriptor: AnyStateDescriptor, db: Database<Uint8Array, Key>, capacity: number);
  constructor(descriptor: AnyStateDescriptor, store: Store);
  constructor(descriptor: AnyStateDescriptor, dbOrStore: Database<Uint8Array, Key> | Store, capacity = 0) {
    this.descriptor = descriptor;
    this.ttl = descriptor.ttl;
    this.#store =
      'cache' in dbOrStore ? dbOrStore : { db: dbOrStore, capacity, cache: new Map(), changes: new Map() };
    this.#db = this.#store.db;
    this.#capacity = this.#store.capacity;
    this.#cache = this.#store.cache;
  }

  get(key: NormalizedKey, ns: Namespace): unknown {
    const id = cacheKey(key, ns);
    const cached = this.#cache.get(id);
    if (cached !== undefined) {
      if (cached.value !== undefined) {
        cached.dirty = true;
        this.#store.changes.set(id, [key, ns]);
      }
      return cached.value;
    }
    const bytes = this.#db.getBinaryFast([storedKey(key), ns]);
    if (bytes === undefined) return undefined;
    const value = decodeState<unknown>(bytes);
    this.#admit(id, { key, ns, value, dirty: true });
    this.#store.changes.set(id, [key, ns]);
    return value;
  }

  put(key: NormalizedKey, ns: Namespace, value: unknown): void {
    const id = cacheKey(key, ns);
    this.#store.changes.set(id, [key, ns]);
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
        this.#store.changes.set(cacheKey(entry.key, entry.ns), [entry.key, entry.ns]);
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

  snapshotEntries(): Iterator<[NormalizedKey, Namespace, unknown]> {
    this.flush();
    const range = this.#db.getRange({ snapshot: true })[Symbol.iterator]();
    // The first step opens the read transaction: the view is fixed now, whenever the rest is read.
    let first: IteratorResult<{ key: Key; value: Uint8Array }> | undefined = range.next();
    const decode = (r: IteratorResult<{ key: Key; value: Uint8Array }>) => {
      if (r.done) return { done: true, value: undefined } as const;
      const [k, ns] = r.value.key as [unknown, Namespace];
      return { done: false, value: [fromStoredKey(k), ns, decodeState<unknown>(r.value.value)] } as {
        done: false;
        value: [NormalizedKey, Namespace, unknown];
      };
    };
    return {
      next: () => {
        if (first !== undefined) {
          const r = first;
          first = undefined;
          return decode(r);
        }
        return decode(range.next());
      },
      return: (value?: unknown) => {
        range.return?.();
        return { done: true, value } as IteratorReturnResult<unknown> as never;
      },
    };
  }

  withDescriptor(descriptor: AnyStateDescriptor): StateTable {
    this.flush();
    return new LmdbStateTable(descriptor, this.#store);
  }

  /** The entries written or handed out since the last call (for incremental snapshots). */
  takeChanges(): ChangedEntries {
    const changes = this.#store.changes;
    this.#store.changes = new Map();
    return changes;
  }

  /** Writes back the cache, then opens a read snapshot of the database as of now. */
  openSnapshotReader(): SnapshotReader {
    this.flush();
    const transaction = this.#db.useReadTransaction();
    return {
      get: (key, ns) => {
        const bytes = this.#db.get([storedKey(key), ns], { transaction });
        return bytes === undefined ? undefined : decodeState<unknown>(bytes);
      },
      done: () => transaction.done(),
    };
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
