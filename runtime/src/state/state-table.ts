// One named piece of keyed state: values by (key, namespace). With TTL, each stored value carries the
// processing time it was last written (or read, per update type). Two implementations: on the JavaScript
// heap (HeapStateTable) and on disk in LMDB behind a write-back cache (LmdbStateTable).
import type { NormalizedKey } from './key-normalizer.ts';
import type { AnyStateDescriptor } from './state-descriptor.ts';
import type { StateTtlConfig } from './state-ttl-config.ts';

export type Namespace = string | number;
export const VOID_NAMESPACE: Namespace = '';

export type TtlValue<V> = { v: V; t: number };

export interface StateTable {
  readonly descriptor: AnyStateDescriptor;
  readonly ttl: StateTtlConfig | undefined;
  /**
   * The stored value. Callers may change a returned object in place (a list state appends to its array):
   * a table must treat a value it handed out as possibly modified.
   */
  get(key: NormalizedKey, ns: Namespace): unknown;
  put(key: NormalizedKey, ns: Namespace, value: unknown): void;
  remove(key: NormalizedKey, ns: Namespace): void;
  /** Flink's incremental cleanup: examine a few entries per access and drop expired values. */
  cleanupIncrementally(
    now: number,
    isExpired: (stored: unknown, now: number) => boolean,
    budget: number,
  ): void;
  /** Every entry, as [key, namespace, stored value]. Heap values are live objects: read them before writing. */
  entries(): Iterable<[NormalizedKey, Namespace, unknown]>;
  /**
   * For tables that can: a consistent view of every entry as of now, read later while writes go on (LMDB's
   * snapshot read transaction). Lets a checkpoint read large state without stopping processing.
   */
  snapshotEntries?(): Iterator<[NormalizedKey, Namespace, unknown]>;
  /** The same data under another descriptor (a restored table adopting the operator's own descriptor). */
  withDescriptor(descriptor: AnyStateDescriptor): StateTable;
}

/** Creates the table of one named state. */
export type StateTableFactory = (descriptor: AnyStateDescriptor) => StateTable;
