// A keyed work queue with client-go's semantics: a key is processed by one worker at a time; adding a key
// that is queued is a no-op (coalescing), and adding it while it is processed queues it once more for after;
// delayed adds keep the earliest time; failures back off exponentially per key (5 ms doubling to 5 min).
// Keys are namespace/name: reconciliation is level-based, so only "look at this again" is queued.
export type WorkQueueOptions = { readonly baseDelayMs?: number; readonly maxDelayMs?: number };

export class WorkQueue {
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; handle: NodeJS.Timeout }>();
  #waiters: (() => void)[] = [];
  #shutdown = false;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;

  constructor(options: WorkQueueOptions = {}) {
    this.#baseDelayMs = options.baseDelayMs ?? 5;
    this.#maxDelayMs = options.maxDelayMs ?? 300_000;
  }

  get length(): number {
    return this.#queue.length;
  }

  add(key: string): void {
    if (this.#shutdown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    this.#queue.push(key);
    this.#wake();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.#shutdown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const existing = this.#timers.get(key);
    if (existing !== undefined && existing.at <= at) return;
    if (existing !== undefined) clearTimeout(existing.handle);
    const handle = setTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, delayMs);
    handle.unref();
    this.#timers.set(key, { at, handle });
  }

  /** Re-queues a key that failed, after its backoff. */
  addRateLimited(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const delay = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** failures);
    this.addAfter(key, delay);
    return delay;
  }

  /** The key succeeded: its backoff starts over. */
  forget(key: string): void {
    this.#failures.delete(key);
  }

  /** The next key to process, or undefined once shut down. Call done(key) when finished. */
  async get(): Promise<string | undefined> {
    while (this.#queue.length === 0) {
      if (this.#shutdown) return undefined;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    const key = this.#queue.shift()!;
    this.#processing.add(key);
    this.#dirty.delete(key);
    return key;
  }

  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key)) {
      this.#queue.push(key);
      this.#wake();
    }
  }

  shutdown(): void {
    this.#shutdown = true;
    for (const t of this.#timers.values()) clearTimeout(t.handle);
    this.#timers.clear();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #wake(): void {
    const w = this.#waiters.shift();
    w?.();
  }
}

/** Runs `workers` loops taking keys from the queue until it shuts down. */
export async function runWorkers(
  queue: WorkQueue,
  workers: number,
  handle: (key: string) => Promise<void>,
): Promise<void> {
  const loop = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await handle(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, loop));
}
