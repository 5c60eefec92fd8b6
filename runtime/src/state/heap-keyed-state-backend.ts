// The in-memory keyed state backend (Flink's HashMapStateBackend): state lives on the JavaScript heap,
// partitioned by key; snapshots are written per key group so they can be redistributed on rescale.
import { assignToKeyGroup, type KeyGroupRange, keyGroupRangeContains } from './key-group-range.ts';
import type { KeyValue } from './key-hash.ts';
import { denormalizeKey, type NormalizedKey, normalizeKey } from './key-normalizer.ts';
import type { AnyStateDescriptor } from './state-descriptor.ts';
import { type Namespace, StateTable } from './state-table.ts';

/** One state entry as it appears in a snapshot: [stateName, key, namespace, storedValue]. */
export type KeyedStateEntry = [string, KeyValue, Namespace, unknown];

export type KeyedBackendOptions = {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  /** Processing time for TTL decisions; injected so tests control it. */
  readonly now: () => number;
};

export class HeapKeyedStateBackend {
  readonly maxParallelism: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly now: () => number;
  currentKey: NormalizedKey = null;
  readonly tables = new Map<string, StateTable>();

  constructor(options: KeyedBackendOptions) {
    this.maxParallelism = options.maxParallelism;
    this.keyGroupRange = options.keyGroupRange;
    this.now = options.now;
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
      if (existing.descriptor.kind !== descriptor.kind) {
        throw new TypeError(
          `state "${descriptor.name}" is already registered as ${existing.descriptor.kind} state; ` +
            `it cannot also be ${descriptor.kind} state. Give each state descriptor its own name`,
        );
      }
      if (existing.descriptor !== descriptor) this.tables.set(descriptor.name, adopt(existing, descriptor));
      return this.tables.get(descriptor.name)!;
    }
    const created = new StateTable(descriptor);
    this.tables.set(descriptor.name, created);
    return created;
  }

  /** Iterates every key that has a value in the named state (all namespaces). */
  *keys(stateName: string): Iterable<KeyValue> {
    const table = this.tables.get(stateName);
    if (table === undefined) return;
    for (const key of table.data.keys()) yield denormalizeKey(key);
  }

  /** All entries, grouped by key group. Expired TTL values are left out (Flink's cleanupFullSnapshot). */
  snapshotByKeyGroup(
    isExpired: (table: StateTable, stored: unknown) => boolean,
  ): Map<number, KeyedStateEntry[]> {
    const groups = new Map<number, KeyedStateEntry[]>();
    for (const [name, table] of this.tables) {
      for (const [normKey, byNs] of table.data) {
        const key = denormalizeKey(normKey);
        const keyGroup = assignToKeyGroup(key, this.maxParallelism);
        let list = groups.get(keyGroup);
        if (list === undefined) groups.set(keyGroup, (list = []));
        for (const [ns, stored] of byNs) {
          if (!isExpired(table, stored)) list.push([name, key, ns, stored]);
        }
      }
    }
    return groups;
  }

  /** Restores entries; keys outside this backend's key-group range are ignored (they belong elsewhere). */
  restoreEntries(
    entries: Iterable<KeyedStateEntry>,
    descriptorFor: (name: string) => AnyStateDescriptor,
  ): void {
    for (const [name, key, ns, stored] of entries) {
      if (!keyGroupRangeContains(this.keyGroupRange, assignToKeyGroup(key, this.maxParallelism))) continue;
      this.table(this.tables.get(name)?.descriptor ?? descriptorFor(name)).put(normalizeKey(key), ns, stored);
    }
  }
}

function adopt(old: StateTable, descriptor: AnyStateDescriptor): StateTable {
  // A restored table is created from a placeholder descriptor; the operator's own descriptor (with its
  // reduce/aggregate function and TTL) replaces it when the operator first asks for the state.
  const table = new StateTable(descriptor);
  for (const [key, byNs] of old.data) table.data.set(key, byNs);
  return table;
}
