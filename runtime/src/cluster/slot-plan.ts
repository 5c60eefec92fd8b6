// Slot sharing, as in Flink's default slot-sharing group: slot i runs subtask i of every vertex, so a job
// needs as many slots as its highest parallelism, and a pipeline's subtasks with the same index share a
// worker thread (their forward channels stay in memory). Pure: decides which free slots a job gets.

export type SlotRef = { readonly taskManagerId: string; readonly slotIndex: number };

export type SlotPlan =
  | { readonly ok: true; readonly shares: SlotRef[] }
  | { readonly ok: false; readonly required: number; readonly available: number; readonly message: string };

/**
 * Assigns share index i (subtask i of every vertex) to a free slot, spreading shares over TaskManagers
 * round-robin so one lost TaskManager takes as few shares as possible.
 */
export function planSlots(requiredShares: number, freeSlots: readonly SlotRef[]): SlotPlan {
  if (freeSlots.length < requiredShares) {
    return {
      ok: false,
      required: requiredShares,
      available: freeSlots.length,
      message:
        `the job needs ${requiredShares} slots (its highest parallelism) but ${freeSlots.length} are free; ` +
        'start more TaskManagers, give them more slots, or lower the parallelism',
    };
  }
  const byTm = new Map<string, SlotRef[]>();
  for (const s of [...freeSlots].sort(
    (a, b) => a.taskManagerId.localeCompare(b.taskManagerId) || a.slotIndex - b.slotIndex,
  )) {
    const list = byTm.get(s.taskManagerId) ?? [];
    list.push(s);
    byTm.set(s.taskManagerId, list);
  }
  const queues = [...byTm.values()];
  const shares: SlotRef[] = [];
  for (let round = 0; shares.length < requiredShares; round++) {
    for (const q of queues) {
      if (shares.length === requiredShares) break;
      const s = q[round];
      if (s !== undefined) shares.push(s);
    }
  }
  return { ok: true, shares };
}
