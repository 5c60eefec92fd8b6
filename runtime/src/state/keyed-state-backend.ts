// A keyed state backend: the named state tables of one operator subtask, partitioned by key, and the
// current key the operator works on. Snapshots are written per key group so they can be redistributed on
// rescale. Where the tables live is the backend's choice (heap or LMDB, see state-backend-config.ts).
import { assignToKeyGroup, type KeyGroupRange, keyGroupRangeContains } from './key-group-range.ts';
import type { KeyValue } from './key-hash.ts';
import { denormalizeKey, type NormalizedKey, normalizeKey } from './key-normalizer.ts';
import type { AnyStateDescriptor } from './state-descriptor.ts';
import type { Namespace, StateTable, StateTableFactory } from './state-table.ts';

/** One state entry as it appears in a snapshot: [stateName, key, namespace, storedValue]. */
export type KeyedStateEntry = [string, KeyValue, Namespace, unknown];

/** An entry an incremental snapshot records as removed: [stateName, key, namespace]. */
export type RemovedEntry = [string, KeyValue, Namespace];

/** The keyed state of a snapshot, per key group: all of it, or (incremental) what changed since a base. */
export type KeyedStateSnapshot = {
  readonly groups: Map<number, KeyedStateEntry[]>;
  /** Set for an incremental snapshot: `groups` holds the entries changed since this checkpoint. */
  readonly baseCheckpointId?: number;
  /** Incremental snapshots: entries removed since the base, per key group. */
  readonly removed?: Map<number, RemovedEntry[]>;
};

/** Entries read per slice of an asynchronous snapshot before processing gets the thread back. */
export const SNAPSHOT_SLICE = 20_000;

export type KeyedBackendOptions = {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  /** Processing time for TTL decisions; injected so tests control it. */
  readonly now: () => number;
};

export class KeyedStateBackend {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly now: () => number;
  currentKey: NormalizedKey = null;
  readonly tables = new Map<string, StateTable>();
  readonly #createTable: StateTableFactory;
  readonly #dispose: () => void;
  /** Descriptors made up for restored tables, whose kind the operator has not declared yet. */
  readonly #placeholders = new WeakSet<AnyStateDescriptor>();

  constructor(options: KeyedBackendOptions, createTable: StateTableFactory, dispose: () => void = () => {}) {
    this.maxParallelism = options.maxParallelism;
    this.keyGroupRange = options.keyGroupRange;
    this.now = options.now;
    this.#createTable = createTable;
    this.#dispose = dispose;
  }

  setCurrentKey(key: NormalizedKey): void {
    this.currentKey = key;
  }

  getCurrentKey(): KeyValue {
    return denormalizeKey(this.currentKey);
  }

  table(descriptor: AnyStateDescriptor): StateTable {
    const existing = this.tables.get(descriptor.name);
    if (existing !== undefined) {
      // A restored table's kind is the operator's guess (restoredStateKind) until the operator declares it:
      // a user function's list or map state restores before open() asks for it.
      if (existing.descriptor.kind !== descriptor.kind && !this.#placeholders.has(existing.descriptor)) {
        throw new TypeError(
          `state "${descriptor.name}" is already registered as ${existing.descriptor.kind} state; ` +
            `it cannot also be ${descriptor.kind} state. Give each state descriptor its own name`,
        );
      }
      // A restored table is created from a placeholder descriptor; the operator's own descriptor (with its
      // reduce/aggregate function and TTL) replaces it when the operator first asks for the state.
      if (existing.descriptor !== descriptor)
        this.tables.set(descriptor.name, existing.withDescriptor(descriptor));
      return this.tables.get(descriptor.name)!;
    }
    const created = this.#createTable(descriptor);
    this.tables.set(descriptor.name, created);
    return created;
  }

  /** Iterates every key that has a value in the named state (all namespaces), each once. */
  *keys(stateName: string): Iterable<KeyValue> {
    const table = this.tables.get(stateName);
    if (table === undefined) return;
    let previous: NormalizedKey | undefined;
    const seen = new Set<NormalizedKey>();
    for (const [key] of table.entries()) {
      if (key === previous || seen.has(key)) continue;
      previous = key;
      seen.add(key);
      yield denormalizeKey(key);
    }
  }

  /** All entries, grouped by key group. Expired TTL values are left out (Flink's cleanupFullSnapshot). */
  snapshotByKeyGroup(
    isExpired: (table: StateTable, stored: unknown) => boolean,
  ): Map<number, KeyedStateEntry[]> {
    const groups = new Map<number, KeyedStateEntry[]>();
    for (const [name, table] of this.tables) {
      const add = this.#groupInto(groups, name, table, isExpired);
      for (const entry of table.entries()) add(entry);
    }
    return groups;
  }

  /**
   * The keyed state for checkpoint `checkpointId`. When every table offers a consistent view
   * (snapshotEntries), the views are taken now and read in slices between which processing goes on;
   * otherwise the snapshot is taken now. Backends with incremental snapshots override this.
   */
  snapshotKeyedState(
    _checkpointId: number,
    isExpired: (table: StateTable, stored: unknown) => boolean,
  ): KeyedStateSnapshot | Promise<KeyedStateSnapshot> {
    const tables = [...this.tables];
    if (tables.length === 0 || !tables.every(([, t]) => t.snapshotEntries !== undefined))
      return { groups: this.snapshotByKeyGroup(isExpired) };
    const views = tables.map(([name, table]) => ({ name, table, entries: table.snapshotEntries!() }));
    const groups = new Map<number, KeyedStateEntry[]>();
    const read = async () => {
      for (const { name, table, entries } of views) {
        const add = this.#groupInto(groups, name, table, isExpired);
        let inSlice = 0;
        for (let r = entries.next(); !r.done; r = entries.next()) {
          add(r.value);
          if (++inSlice === SNAPSHOT_SLICE) {
            inSlice = 0;
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
      }
      return { groups };
    };
    return read();
  }

  /** Checkpoint `checkpointId` completed (incremental backends take their next delta against it). */
  notifyCheckpointComplete(_checkpointId: number): void {}

  /** Restores entries; keys outside this backend's key-group range are ignored (they belong elsewhere). */
  restoreEntries(
    entries: Iterable<KeyedStateEntry>,
    descriptorFor: (name: string) => AnyStateDescriptor,
  ): void {
    for (const [name, key, ns, stored] of entries) {
      if (!keyGroupRangeContains(this.keyGroupRange, assignToKeyGroup(key, this.maxParallelism))) continue;
      let descriptor = this.tables.get(name)?.descriptor;
      if (descriptor === undefined) {
        descriptor = descriptorFor(name);
        this.#placeholders.add(descriptor);
      }
      this.table(descriptor).put(normalizeKey(key), ns, stored);
    }
  }

  /**
   * Adds one table's entries, in key order, to `groups` by key group (the key group is computed once per
   * key, not per namespace); expired values are left out.
   */
  #groupInto(
    groups: Map<number, KeyedStateEntry[]>,
    name: string,
    table: StateTable,
    isExpired: (table: StateTable, stored: unknown) => boolean,
  ): (entry: [NormalizedKey, Namespace, unknown]) => void {
    let lastKey: NormalizedKey | undefined;
    let list: KeyedStateEntry[] = [];
    let key: KeyValue = null;
    return ([normKey, ns, stored]) => {
      if (lastKey !== normKey || lastKey === undefined) {
        lastKey = normKey;
        key = denormalizeKey(normKey);
        const keyGroup = assignToKeyGroup(key, this.maxParallelism);
        const existing = groups.get(keyGroup);
        if (existing === undefined) groups.set(keyGroup, (list = []));
        else list = existing;
      }
      if (!isExpired(table, stored)) list.push([name, key, ns, stored]);
    };
  }

  /** Releases what the tables hold outside the heap (files of a disk backend). */
  dispose(): void {
    this.#dispose();
  }
}
