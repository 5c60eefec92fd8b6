// Key groups: the unit of keyed state. A key hashes into [0, maxParallelism); each parallel subtask owns a
// contiguous key-group range. The formulas are Flink's KeyGroupRangeAssignment, so ranges, and therefore
// rescaling, behave exactly as Flink users expect.
import { keyHashCode } from './key-hash.ts';
import { murmurHashInt } from './murmur-hash.ts';

export const DEFAULT_MAX_PARALLELISM = 128;
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

export type KeyGroupRange = { readonly start: number; readonly end: number };

/** The key group a key belongs to: murmurHash(hashCode(key)) % maxParallelism. */
export function assignToKeyGroup(key: unknown, maxParallelism: number): number {
  return computeKeyGroupForHash(keyHashCode(key), maxParallelism);
}

export function computeKeyGroupForHash(hashCode: number, maxParallelism: number): number {
  return murmurHashInt(hashCode) % maxParallelism;
}

/** The subtask that owns a key group: keyGroup * parallelism / maxParallelism. */
export function computeOperatorIndexForKeyGroup(
  maxParallelism: number,
  parallelism: number,
  keyGroup: number,
): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The inclusive key-group range of subtask `index` out of `parallelism`. */
export function computeKeyGroupRangeForOperatorIndex(
  maxParallelism: number,
  parallelism: number,
  index: number,
): KeyGroupRange {
  checkParallelism(maxParallelism, parallelism);
  const start = Math.floor((index * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((index + 1) * maxParallelism - 1) / parallelism);
  return { start, end };
}

export function keyGroupRangeContains(range: KeyGroupRange, keyGroup: number): boolean {
  return keyGroup >= range.start && keyGroup <= range.end;
}

/** Flink's default: roundUpToPowerOfTwo(p + p/2), at least 128, at most 32768. */
export function computeDefaultMaxParallelism(parallelism: number): number {
  const wanted = parallelism + Math.floor(parallelism / 2);
  let pow = 1;
  while (pow < wanted) pow *= 2;
  return Math.min(Math.max(pow, DEFAULT_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM);
}

export function checkParallelism(maxParallelism: number, parallelism: number): void {
  if (
    !Number.isInteger(maxParallelism) ||
    maxParallelism < 1 ||
    maxParallelism > UPPER_BOUND_MAX_PARALLELISM
  ) {
    throw new RangeError(
      `maxParallelism must be an integer in [1, ${UPPER_BOUND_MAX_PARALLELISM}], got ${maxParallelism}`,
    );
  }
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > maxParallelism) {
    throw new RangeError(
      `parallelism must be an integer in [1, maxParallelism=${maxParallelism}], got ${parallelism}; ` +
        'lower the parallelism or raise maxParallelism (it is fixed for the life of the job state)',
    );
  }
}
