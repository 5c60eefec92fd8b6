// The disk-backed keyed state backend: every subtask keeps its keyed state in its own LMDB environment in a
// fresh directory (deleted when the task ends), one LMDB database per state name, with a bounded write-back
// cache of live entries in front. Snapshots are incremental: after a full one, a checkpoint carries only
// the entries written since the last completed checkpoint (and the ones removed), read from an LMDB read
// snapshot in slices while processing goes on; every `fullSnapshotEvery` snapshots one is full again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { IncrementalSnapshotPolicy, type SnapshotPlan } from './incremental-snapshot-policy.ts';
import { assignToKeyGroup } from './key-group-range.ts';
import { denormalizeKey, type NormalizedKey } from './key-normalizer.ts';
import {
  type KeyedBackendOptions,
  KeyedStateBackend,
  type KeyedStateEntry,
  type KeyedStateSnapshot,
  type RemovedEntry,
  SNAPSHOT_SLICE,
} from './keyed-state-backend.ts';
import { type ChangedEntries, LmdbStateTable } from './lmdb-state-table.ts';
import type { Namespace, StateTable } from './state-table.ts';

export type LmdbBackendOptions = {
  /** Where the subtasks' LMDB directories are created; default the OS temp directory. */
  readonly directory?: string;
  /** Entries each state keeps in its write-back cache; default 100 000. */
  readonly cacheEntries?: number;
  /** Incremental checkpoints (default true): upload only what changed since the last checkpoint. */
  readonly incremental?: boolean;
  /** With incremental checkpoints, a full snapshot every this many (default 10): bounds restore chains. */
  readonly fullSnapshotEvery?: number;
};

export const DEFAULT_LMDB_CACHE_ENTRIES = 100_000;
export const DEFAULT_FULL_SNAPSHOT_EVERY = 10;

/** Changes per state name. */
type Changes = Map<string, ChangedEntries>;

export class LmdbKeyedStateBackend extends KeyedStateBackend {
  readonly directory: string;
  readonly #policy: IncrementalSnapshotPolicy<Changes>;
  #last: { id: number; result: KeyedStateSnapshot | Promise<KeyedStateSnapshot> } | undefined;
  readonly #reading: { snapshot: Promise<unknown> | undefined };

  constructor(options: KeyedBackendOptions, lmdb: LmdbBackendOptions = {}) {
    const directory = mkdtempSync(join(lmdb.directory ?? tmpdir(), 'riffle-lmdb-'));
    // Local working state: durability comes from checkpoints, so LMDB need not sync to disk.
    const env = open({ path: directory, compression: false, noSync: true, maxDbs: 1024 });
    const capacity = lmdb.cacheEntries ?? DEFAULT_LMDB_CACHE_ENTRIES;
    const reading: { snapshot: Promise<unknown> | undefined } = { snapshot: undefined };
    super(
      options,
      (descriptor) =>
        new LmdbStateTable(descriptor, env.openDB({ name: descriptor.name, encoding: 'binary' }), capacity),
      () => {
        // A snapshot still reading holds a read transaction: let it end before the environment closes.
        void Promise.resolve(reading.snapshot)
          .catch(() => {})
          .then(() => env.close())
          .finally(() => rmSync(directory, { recursive: true, force: true }));
      },
    );
    this.directory = directory;
    this.#reading = reading;
    this.#policy = new IncrementalSnapshotPolicy(
      lmdb.incremental === false ? 1 : (lmdb.fullSnapshotEvery ?? DEFAULT_FULL_SNAPSHOT_EVERY),
    );
  }

  override snapshotKeyedState(
    checkpointId: number,
    isExpired: (table: StateTable, stored: unknown) => boolean,
  ): KeyedStateSnapshot | Promise<KeyedStateSnapshot> {
    // Several operators of one chain may share this backend: they get the same snapshot.
    if (this.#last?.id === checkpointId) return this.#last.result;
    const changes: Changes = new Map();
    for (const [name, table] of this.tables) changes.set(name, (table as LmdbStateTable).takeChanges());
    const plan = this.#policy.plan(checkpointId, changes);
    const result =
      plan.kind === 'full' ? super.snapshotKeyedState(checkpointId, isExpired) : this.#delta(plan, isExpired);
    this.#last = { id: checkpointId, result };
    if (result instanceof Promise) this.#reading.snapshot = result;
    return result;
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    this.#policy.complete(checkpointId);
  }

  /** Reads the entries changed since the base from a read snapshot taken now, in slices. */
  #delta(
    plan: Extract<SnapshotPlan<Changes>, { kind: 'delta' }>,
    isExpired: (table: StateTable, stored: unknown) => boolean,
  ): Promise<KeyedStateSnapshot> {
    const work: { name: string; table: StateTable; entries: Map<string, [NormalizedKey, Namespace]> }[] = [];
    for (const [name, table] of this.tables) {
      const entries = new Map<string, [NormalizedKey, Namespace]>();
      for (const changes of plan.changes) for (const [id, e] of changes.get(name) ?? []) entries.set(id, e);
      work.push({ name, table, entries });
    }
    const readers = work.map((w) => (w.table as LmdbStateTable).openSnapshotReader());
    const groups = new Map<number, KeyedStateEntry[]>();
    const removed = new Map<number, RemovedEntry[]>();
    const read = async (): Promise<KeyedStateSnapshot> => {
      try {
        let inSlice = 0;
        for (const [i, { name, table, entries }] of work.entries()) {
          for (const [normKey, ns] of entries.values()) {
            const key = denormalizeKey(normKey);
            const keyGroup = assignToKeyGroup(key, this.maxParallelism);
            const value = readers[i]!.get(normKey, ns);
            if (value === undefined || isExpired(table, value)) {
              let list = removed.get(keyGroup);
              if (list === undefined) removed.set(keyGroup, (list = []));
              list.push([name, key, ns]);
            } else {
              let list = groups.get(keyGroup);
              if (list === undefined) groups.set(keyGroup, (list = []));
              list.push([name, key, ns, value]);
            }
            if (++inSlice === SNAPSHOT_SLICE) {
              inSlice = 0;
              await new Promise((resolve) => setImmediate(resolve));
            }
          }
        }
      } finally {
        for (const r of readers) r.done();
      }
      return { groups, removed, baseCheckpointId: plan.baseCheckpointId };
    };
    return read();
  }
}
