// The disk-backed keyed state backend: every subtask keeps its keyed state in its own LMDB environment in a
// fresh directory (deleted when the task ends), one LMDB database per state name, with a bounded write-back
// cache of live entries in front. Checkpoints read the database in key order, per key group.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { type KeyedBackendOptions, KeyedStateBackend } from './keyed-state-backend.ts';
import { LmdbStateTable } from './lmdb-state-table.ts';

export type LmdbBackendOptions = {
  /** Where the subtasks' LMDB directories are created; default the OS temp directory. */
  readonly directory?: string;
  /** Entries each state keeps in its write-back cache; default 100 000. */
  readonly cacheEntries?: number;
};

export const DEFAULT_LMDB_CACHE_ENTRIES = 100_000;

export class LmdbKeyedStateBackend extends KeyedStateBackend {
  readonly directory: string;

  constructor(options: KeyedBackendOptions, lmdb: LmdbBackendOptions = {}) {
    const directory = mkdtempSync(join(lmdb.directory ?? tmpdir(), 'riffle-lmdb-'));
    // Local working state: durability comes from checkpoints, so LMDB need not sync to disk.
    const env = open({ path: directory, compression: false, noSync: true, maxDbs: 1024 });
    const capacity = lmdb.cacheEntries ?? DEFAULT_LMDB_CACHE_ENTRIES;
    super(
      options,
      (descriptor) =>
        new LmdbStateTable(descriptor, env.openDB({ name: descriptor.name, encoding: 'binary' }), capacity),
      () => {
        void env.close().finally(() => rmSync(directory, { recursive: true, force: true }));
      },
    );
    this.directory = directory;
  }
}
