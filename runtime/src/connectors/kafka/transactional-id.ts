// Transactional ids of the exactly-once Kafka sink: `<prefix>-<subtask>-<n>`, where n is one more than the
// last checkpoint barrier the subtask saw (so the transaction sealed at checkpoint N is number N or lower).
// At start a subtask aborts lingering transactions it is responsible for: ids of subtasks that map to it
// at the current parallelism, numbered above the restored checkpoint. Lower numbers belong to the restored
// checkpoint's committables (committed by whichever subtask restored them) or are already complete. Pure.

export function transactionalId(prefix: string, subtask: number, n: number): string {
  return `${prefix}-${subtask}-${n}`;
}

export function parseTransactionalId(prefix: string, id: string): { subtask: number; n: number } | undefined {
  if (!id.startsWith(`${prefix}-`)) return undefined;
  const m = /^(\d+)-(\d+)$/.exec(id.slice(prefix.length + 1));
  return m === null ? undefined : { subtask: Number(m[1]), n: Number(m[2]) };
}

export function shouldAbortLingering(
  prefix: string,
  id: string,
  subtaskIndex: number,
  parallelism: number,
  restoredCheckpointId: number | undefined,
): boolean {
  const parsed = parseTransactionalId(prefix, id);
  if (parsed === undefined) return false;
  if (parsed.subtask % parallelism !== subtaskIndex) return false;
  return restoredCheckpointId === undefined || parsed.n > restoredCheckpointId;
}
