// Savepoint history retention: at most maxCount entries, none older than maxAge, the newest always kept.
import type { SavepointRecord } from '../api/stream-job-status.ts';

export function retainHistory(
  history: readonly SavepointRecord[],
  added: SavepointRecord,
  maxCount: number,
  maxAgeMs: number,
  now: number,
): SavepointRecord[] {
  const all = [added, ...history.filter((h) => h.path !== added.path)].sort(
    (a, b) => b.timestamp - a.timestamp,
  );
  return all.filter((h, i) => i === 0 || (i < maxCount && now - h.timestamp <= maxAgeMs));
}
