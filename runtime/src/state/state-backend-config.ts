// Which keyed state backend a job uses: 'hashmap' (state on the JavaScript heap, the default and the
// fastest) or 'lmdb' (state on local disk, for state larger than memory). Set per job with
// env.setStateBackend(), or for every job of a process with RIFFLE_STATE_BACKEND=hashmap|lmdb.
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.ts';
import type { KeyedBackendOptions, KeyedStateBackend } from './keyed-state-backend.ts';
import { type LmdbBackendOptions, LmdbKeyedStateBackend } from './lmdb-keyed-state-backend.ts';

export type StateBackendConfig =
  | { readonly type: 'hashmap' }
  | ({ readonly type: 'lmdb' } & LmdbBackendOptions);

/** Parses a state backend name as given in configuration; `where` names the setting in errors. */
export function parseStateBackend(value: string | undefined, where: string): StateBackendConfig {
  if (value === undefined || value === '' || value === 'hashmap') return { type: 'hashmap' };
  if (value === 'lmdb') return { type: 'lmdb' };
  throw new Error(
    `${where}: unknown state backend "${value}"; use "hashmap" (in memory) or "lmdb" (on disk)`,
  );
}

export function createKeyedStateBackend(
  config: StateBackendConfig,
  options: KeyedBackendOptions,
): KeyedStateBackend {
  return config.type === 'lmdb'
    ? new LmdbKeyedStateBackend(options, config)
    : new HeapKeyedStateBackend(options);
}
