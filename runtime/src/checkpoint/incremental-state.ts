// Incremental keyed state in checkpoints. A subtask's state file may hold, instead of all its keyed state,
// the entries changed since an earlier checkpoint of the same subtask (`base`, a path relative to the job's
// checkpoint directory) plus the ones removed; timers and operator state are always complete. A restore, or
// a savepoint (which must be self-contained), materializes the chain back to full state.
import type { KeyGroupSnapshot } from '../operators/operator-snapshot.ts';
import type { KeyValue } from '../state/key-hash.ts';
import { normalizeKey } from '../state/key-normalizer.ts';
import type { Namespace } from '../state/state-table.ts';
import { decodeState, encodeState } from './state-encoding.ts';
import { decodeKeyGroup, type OperatorSubtaskState } from './task-snapshot.ts';

/** Restores read at most this many files back; the backend writes a full snapshot far more often. */
const MAX_CHAIN = 1000;

function entryId(name: string, key: KeyValue, ns: Namespace): string {
  const k = normalizeKey(key);
  return `${name}\u0000${typeof k}:${String(k)}\u0000${typeof ns}:${ns}`;
}

/** A key group's full state: `base` (full) with `delta` applied; the timers are the delta's (complete). */
export function applyKeyGroupDelta(
  base: KeyGroupSnapshot,
  delta: KeyGroupSnapshot | undefined,
): KeyGroupSnapshot {
  if (delta === undefined) return { state: base.state, timers: [] };
  const byId = new Map(base.state.map((e) => [entryId(e[0], e[1], e[2]), e] as const));
  for (const [name, key, ns] of delta.removed ?? []) byId.delete(entryId(name, key, ns));
  for (const e of delta.state) byId.set(entryId(e[0], e[1], e[2]), e);
  return { state: [...byId.values()], timers: delta.timers };
}

/** The full state of `state`, reading its chain of bases with `read` (paths relative to the job directory). */
export async function materializeIncrementalState(
  state: OperatorSubtaskState,
  read: (path: string) => Promise<Uint8Array>,
  depth = 0,
): Promise<OperatorSubtaskState> {
  if (state.base === undefined) return state;
  const where = `incremental state of operator "${state.uid}" subtask ${state.subtask}`;
  if (depth >= MAX_CHAIN) throw new Error(`${where}: more than ${MAX_CHAIN} increments in a chain`);
  let bytes: Uint8Array;
  try {
    bytes = await read(state.base);
  } catch (e) {
    throw new Error(
      `${where}: the file it builds on, ${state.base}, cannot be read (${(e as Error).message})`,
    );
  }
  let baseState: OperatorSubtaskState;
  try {
    baseState = decodeState<OperatorSubtaskState>(bytes);
  } catch (e) {
    throw new Error(`${where}: the file it builds on, ${state.base}, is corrupt (${(e as Error).message})`);
  }
  const base = await materializeIncrementalState(baseState, read, depth + 1);
  const keyGroups: Record<number, Uint8Array> = {};
  const ids = new Set([...Object.keys(base.keyGroups), ...Object.keys(state.keyGroups)].map(Number));
  for (const kg of ids) {
    const baseGroup =
      base.keyGroups[kg] === undefined ? { state: [], timers: [] } : decodeKeyGroup(base.keyGroups[kg]);
    const delta = state.keyGroups[kg] === undefined ? undefined : decodeKeyGroup(state.keyGroups[kg]);
    const merged = applyKeyGroupDelta(baseGroup, delta);
    if (merged.state.length > 0 || merged.timers.length > 0) keyGroups[kg] = encodeState(merged);
  }
  const { base: _base, baseCheckpointId: _id, ...rest } = state;
  return { ...rest, keyGroups };
}

/** Where the state file of `uid`'s subtask `subtask` at checkpoint `checkpointId` is, from the job directory. */
export function subtaskStatePath(checkpointId: number, uid: string, subtask: number): string {
  return `chk-${checkpointId}/${uid}/${subtask}`;
}
