// When a disk backend may write an incremental snapshot (only what changed) and on which base. A delta is
// taken against the last checkpoint this backend snapshotted AND heard complete; until one completes (a
// fresh start, a restore) and every `fullEvery` snapshots, the snapshot is full, which bounds the chain a
// restore has to read. Changes are kept per snapshot until a later checkpoint completes, so the changes of
// a checkpoint that failed are carried into the next delta rather than lost. Pure; the backend does I/O.

export type SnapshotPlan<C> =
  | { readonly kind: 'full' }
  | { readonly kind: 'delta'; readonly baseCheckpointId: number; readonly changes: readonly C[] };

export class IncrementalSnapshotPolicy<C> {
  readonly #fullEvery: number;
  /** Snapshots taken and not yet superseded by a completed checkpoint, with the changes made before each. */
  #pending: { id: number; full: boolean; changes: C }[] = [];
  #base: number | undefined;
  #sinceFull = 0;

  constructor(fullEvery: number) {
    if (!(fullEvery >= 1)) throw new RangeError(`fullEvery must be at least 1, got ${fullEvery}`);
    this.#fullEvery = fullEvery;
  }

  /** Plans the snapshot of checkpoint `id`, given the changes made since the previous snapshot. */
  plan(id: number, changesSinceLastSnapshot: C): SnapshotPlan<C> {
    const full = this.#base === undefined || this.#sinceFull + 1 >= this.#fullEvery;
    this.#pending.push({ id, full, changes: changesSinceLastSnapshot });
    if (full) {
      this.#sinceFull = 0;
      return { kind: 'full' };
    }
    this.#sinceFull++;
    return {
      kind: 'delta',
      baseCheckpointId: this.#base!,
      changes: this.#pending.map((p) => p.changes),
    };
  }

  /** Checkpoint `id` completed: it becomes the base, and the changes it contains are settled. */
  complete(id: number): void {
    const taken = this.#pending.find((p) => p.id === id);
    if (taken === undefined) return; // not a snapshot of this backend (a savepoint, or before a restore)
    this.#pending = this.#pending.filter((p) => p.id > id);
    this.#base = id;
  }

  /** The base a delta would use now (for tests and logs). */
  get base(): number | undefined {
    return this.#base;
  }
}
