// The state an operator subtask contributes to a snapshot. Keyed state and timers are split by key group so
// that a restore at another parallelism hands every key group to its new owner; operator state (e.g. source
// positions) is a list that is redistributed round-robin.
import type { KeyedStateEntry } from '../state/heap-keyed-state-backend.ts';
import type { TimerEntry } from '../time/internal-timer-service.ts';

export type KeyGroupSnapshot = { state: KeyedStateEntry[]; timers: TimerEntry<unknown>[] };

export type OperatorSnapshot = {
  readonly uid: string;
  /** key group → entries; absent for non-keyed operators. */
  readonly keyGroups?: Map<number, KeyGroupSnapshot>;
  /** Operator (non-keyed) list state. */
  readonly operatorState?: unknown[];
};

/** What an operator subtask receives on restore: the key groups of its range, and its share of list state. */
export type OperatorRestore = {
  readonly keyGroups: Iterable<KeyGroupSnapshot>;
  readonly operatorState: unknown[];
};
