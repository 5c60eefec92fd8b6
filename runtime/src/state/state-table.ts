// One named piece of keyed state: values by (key, namespace). With TTL, each stored value carries the
// processing time it was last written (or read, per update type).
import type { NormalizedKey } from './key-normalizer.ts';
import type { AnyStateDescriptor } from './state-descriptor.ts';
import type { StateTtlConfig } from './state-ttl-config.ts';

export type Namespace = string | number;
export const VOID_NAMESPACE: Namespace = '';

export type TtlValue<V> = { v: V; t: number };

export class StateTable {
  readonly descriptor: AnyStateDescriptor;
  readonly ttl: StateTtlConfig | undefined;
  readonly data = new Map<NormalizedKey, Map<Namespace, unknown>>();
  #cleanupCursor: Iterator<[NormalizedKey, Map<Namespace, unknown>]> | undefined;

  constructor(descriptor: AnyStateDescriptor) {
    this.descriptor = descriptor;
    this.ttl = descriptor.ttl;
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

  /** Flink's incremental cleanup: examine a few keys per access and drop expired values. */
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
}
