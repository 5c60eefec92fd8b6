// The state an operator subtask contributes to a snapshot. Keyed state and timers are split by key group so
// that a restore at another parallelism hands every key group to its new owner; operator state (e.g. source
// positions) is a list that is redistributed round-robin.
import type { KeyedStateEntry, RemovedEntry } from '../state/keyed-state-backend.ts';
import type { TimerEntry } from '../time/internal-timer-service.ts';

/**
 * One key group's state and timers. Timers are always complete; in an incremental snapshot `state` holds
 * only the entries changed since the base checkpoint, and `removed` those deleted since.
 */
export type KeyGroupSnapshot = {
  state: KeyedStateEntry[];
  timers: TimerEntry<unknown>[];
  removed?: RemovedEntry[];
};

export type OperatorSnapshot = {
  readonly uid: string;
  /** key group → entries; absent for non-keyed operators. */
  readonly keyGroups?: Map<number, KeyGroupSnapshot>;
  /** Operator (non-keyed) list state. */
  readonly operatorState?: unknown[];
  /** Set when the keyed state is incremental: changes since this checkpoint of the same subtask. */
  readonly baseCheckpointId?: number;
};

/** What an operator subtask receives on restore: the key groups of its range, and its share of list state. */
export type OperatorRestore = {
  readonly keyGroups: Iterable<KeyGroupSnapshot>;
  readonly operatorState: unknown[];
  /** The checkpoint (or savepoint) restored from. */
  readonly checkpointId?: number;
};
