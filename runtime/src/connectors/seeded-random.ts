// A deterministic random stream per record index (mulberry32 seeded by hash(seed, index)): record i of a
// datagen source is the same whatever the parallelism, the subtask that makes it, or a restart.

export class SeededRandom {
  #state = 0;

  constructor(seed: number, index: number) {
    this.reset(seed, index);
  }

  /** Re-seeds in place for another index (no allocation on the hot path). */
  reset(seed: number, index: number): this {
    let h = (seed ^ 0x9e3779b9) | 0;
    h = Math.imul(h ^ (index | 0), 0x85ebca6b);
    h = Math.imul(h ^ Math.floor(index / 4294967296), 0xc2b2ae35);
    h ^= h >>> 16;
    this.#state = h | 0;
    return this;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** One of `items`, uniformly; `items` must not be empty. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** The random stream of record `index` under `seed`: the same numbers every time. */
export function seededRandom(seed: number, index: number): SeededRandom {
  return new SeededRandom(seed, index);
}
