// A state table on the JavaScript heap (Flink's HashMapStateBackend): a map of maps, key → namespace →
// value. The fastest table; its size is bounded by the heap.
import type { NormalizedKey } from './key-normalizer.ts';
import type { AnyStateDescriptor } from './state-descriptor.ts';
import type { Namespace, StateTable } from './state-table.ts';
import type { StateTtlConfig } from './state-ttl-config.ts';

export class HeapStateTable implements StateTable {
  readonly descriptor: AnyStateDescriptor;
  readonly ttl: StateTtlConfig | undefined;
  readonly data: Map<NormalizedKey, Map<Namespace, unknown>>;
  #cleanupCursor: Iterator<[NormalizedKey, Map<Namespace, unknown>]> | undefined;

  constructor(descriptor: AnyStateDescriptor, data = new Map<NormalizedKey, Map<Namespace, unknown>>()) {
    this.descriptor = descriptor;
    this.ttl = descriptor.ttl;
    this.data = data;
  }

  get(key: NormalizedKey, ns: Namespace): unknown {
    return this.data.get(key)?.get(ns);
  }

  put(key: NormalizedKey, ns: Namespace, value: unknown): void {
    let byNs = this.data.get(key);
    if (byNs === undefined) {
      byNs = new Map();
      this.data.set(key, byNs);
    }
    byNs.set(ns, value);
  }

  remove(key: NormalizedKey, ns: Namespace): void {
    const byNs = this.data.get(key);
    if (byNs === undefined) return;
    byNs.delete(ns);
    if (byNs.size === 0) this.data.delete(key);
  }

  cleanupIncrementally(
    now: number,
    isExpired: (stored: unknown, now: number) => boolean,
    budget: number,
  ): void {
    for (let i = 0; i < budget; i++) {
      if (this.#cleanupCursor === undefined) this.#cleanupCursor = this.data.entries();
      const next = this.#cleanupCursor.next();
      if (next.done) {
        this.#cleanupCursor = undefined;
        return;
      }
      const [key, byNs] = next.value;
      for (const [ns, stored] of byNs) if (isExpired(stored, now)) byNs.delete(ns);
      if (byNs.size === 0) this.data.delete(key);
    }
  }

  *entries(): Iterable<[NormalizedKey, Namespace, unknown]> {
    for (const [key, byNs] of this.data) for (const [ns, stored] of byNs) yield [key, ns, stored];
  }

  withDescriptor(descriptor: AnyStateDescriptor): StateTable {
    return new HeapStateTable(descriptor, this.data);
  }
}
