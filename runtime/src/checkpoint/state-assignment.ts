// Which restored state each new subtask gets (pure). Keyed state goes by key group to the subtask whose
// range holds it, so a restore may change the parallelism; operator list state (source positions, sink
// committables) is concatenated and dealt round-robin. Operators are matched by uid. Refused, with every
// problem named: another maxParallelism, and state of operators the job no longer has (unless
// allowNonRestoredState).
import type { KeyGroupSnapshot, OperatorRestore } from '../operators/operator-snapshot.ts';
import { computeKeyGroupRangeForOperatorIndex } from '../state/key-group-range.ts';
import type { LoadedCheckpoint } from './checkpoint-loader.ts';
import { decodeKeyGroup, decodeOperatorState } from './task-snapshot.ts';

export type OperatorPlacement = {
  readonly uid: string;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /**
   * Deals the operator's list state to its new subtasks (a source's split assignment, e.g. Kafka partitions
   * to their owners); round-robin when absent. Must return `parallelism` lists holding every entry once.
   */
  readonly assignListState?: (entries: unknown[], parallelism: number) => unknown[][];
};

export class IncompatibleStateError extends Error {
  constructor(problems: string[], path: string) {
    super(`cannot restore from ${path}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'IncompatibleStateError';
  }
}

/** Returns, per operator uid, the restore of each of its new subtasks. */
export function assignState(
  checkpoint: LoadedCheckpoint,
  operators: readonly OperatorPlacement[],
  allowNonRestoredState: boolean,
): Map<string, OperatorRestore[]> {
  const problems: string[] = [];
  const byUid = new Map(operators.map((o) => [o.uid, o]));
  for (const uid of checkpoint.states.keys()) {
    if (!byUid.has(uid) && !allowNonRestoredState) {
      problems.push(
        `the snapshot has state for operator uid "${uid}", which this job does not have; ` +
          'give the operator that should own it this uid, or restore with allowNonRestoredState to drop it',
      );
    }
  }
  for (const [uid, meta] of Object.entries(checkpoint.metadata.operators)) {
    const op = byUid.get(uid);
    if (op !== undefined && op.maxParallelism !== meta.maxParallelism) {
      problems.push(
        `operator "${op.name}" (uid "${uid}") has maxParallelism ${op.maxParallelism}, but its state was written with ` +
          `${meta.maxParallelism}; maxParallelism is fixed for the life of a job's state: set it back to ${meta.maxParallelism}`,
      );
    }
  }
  if (problems.length > 0) throw new IncompatibleStateError(problems, checkpoint.path);

  const result = new Map<string, OperatorRestore[]>();
  for (const op of operators) {
    const states = checkpoint.states.get(op.uid);
    if (states === undefined) continue;
    const keyGroups = new Map<number, Uint8Array>();
    const lists: unknown[] = [];
    for (const s of [...states].sort((a, b) => a.subtask - b.subtask)) {
      for (const [kg, bytes] of Object.entries(s.keyGroups)) keyGroups.set(Number(kg), bytes);
      lists.push(...decodeOperatorState(s.operatorState));
    }
    const dealt =
      op.assignListState?.(lists, op.parallelism) ??
      Array.from({ length: op.parallelism }, (_s, i) => lists.filter((_e, j) => j % op.parallelism === i));
    if (dealt.length !== op.parallelism || dealt.reduce((n, l) => n + l.length, 0) !== lists.length) {
      throw new Error(
        `operator "${op.name}" (uid "${op.uid}") dealt its ${lists.length} restored list entries into ` +
          `${dealt.length} lists for parallelism ${op.parallelism}; its assignListState must keep every entry once`,
      );
    }
    const checkpointId = checkpoint.metadata.checkpointId;
    const restores: OperatorRestore[] = [];
    for (let i = 0; i < op.parallelism; i++) {
      const range = computeKeyGroupRangeForOperatorIndex(op.maxParallelism, op.parallelism, i);
      const groups: KeyGroupSnapshot[] = [];
      for (let kg = range.start; kg <= range.end; kg++) {
        const bytes = keyGroups.get(kg);
        if (bytes !== undefined) groups.push(decodeKeyGroup(bytes));
      }
      restores.push({ keyGroups: groups, operatorState: dealt[i]!, checkpointId });
    }
    result.set(op.uid, restores);
  }
  return result;
}
