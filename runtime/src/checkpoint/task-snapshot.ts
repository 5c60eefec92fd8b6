// What one subtask contributes to a checkpoint: for each stateful operator of its chain (by uid), keyed
// state and timers encoded per key group, and operator list state (source positions, sink committables).
import type { KeyGroupSnapshot, OperatorSnapshot } from '../operators/operator-snapshot.ts';
import { decodeState, encodeState } from './state-encoding.ts';

export type OperatorSubtaskState = {
  readonly uid: string;
  readonly subtask: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** key group → encoded KeyGroupSnapshot. */
  readonly keyGroups: Record<number, Uint8Array>;
  /** Encoded operator list state, if any. */
  readonly operatorState: Uint8Array | undefined;
  /** Incremental keyed state: the key groups are changes on this checkpoint of the same subtask... */
  readonly baseCheckpointId?: number;
  /** ...whose state file is here, relative to the job's checkpoint directory (set by the coordinator). */
  readonly base?: string;
};

export type TaskSnapshot = {
  readonly vertexId: number;
  readonly subtask: number;
  readonly operators: OperatorSubtaskState[];
};

export function encodeOperatorSnapshot(
  snap: OperatorSnapshot,
  subtask: number,
  parallelism: number,
  maxParallelism: number,
): OperatorSubtaskState {
  const keyGroups: Record<number, Uint8Array> = {};
  for (const [kg, group] of snap.keyGroups ?? []) keyGroups[kg] = encodeState(group);
  return {
    uid: snap.uid,
    subtask,
    parallelism,
    maxParallelism,
    keyGroups,
    operatorState: snap.operatorState === undefined ? undefined : encodeState(snap.operatorState),
    ...(snap.baseCheckpointId === undefined ? {} : { baseCheckpointId: snap.baseCheckpointId }),
  };
}

export function decodeKeyGroup(bytes: Uint8Array): KeyGroupSnapshot {
  return decodeState<KeyGroupSnapshot>(bytes);
}

export function decodeOperatorState(bytes: Uint8Array | undefined): unknown[] {
  return bytes === undefined ? [] : decodeState<unknown[]>(bytes);
}
