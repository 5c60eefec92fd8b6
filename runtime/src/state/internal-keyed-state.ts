// Keyed state bound to the backend's current key and a settable namespace. Window operators switch the
// namespace to the window; user functions use the void namespace.

import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from './keyed-state.ts';
import type { KeyedStateBackend } from './keyed-state-backend.ts';
import type {
  AggregatingStateDescriptor,
  AnyStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './state-descriptor.ts';
import { type Namespace, type StateTable, type TtlValue, VOID_NAMESPACE } from './state-table.ts';
import type { StateTtlConfig } from './state-ttl-config.ts';

/** Whether a stored value (as kept in a table) has expired. Lists and maps expire element by element. */
export function isExpiredStored(table: StateTable, stored: unknown, now: number): boolean {
  const ttl = table.ttl;
  if (ttl === undefined) return false;
  const kind = table.descriptor.kind;
  if (kind === 'list') return (stored as TtlValue<unknown>[]).every((e) => expired(ttl, e, now));
  if (kind === 'map') {
    for (const e of (stored as Map<unknown, TtlValue<unknown>>).values())
      if (!expired(ttl, e, now)) return false;
    return true;
  }
  return expired(ttl, stored as TtlValue<unknown>, now);
}

function expired(ttl: StateTtlConfig, stored: TtlValue<unknown>, now: number): boolean {
  return stored.t + ttl.ttlMs <= now;
}

abstract class InternalKeyedState {
  namespace: Namespace = VOID_NAMESPACE;
  protected readonly backend: KeyedStateBackend;
  protected readonly table: StateTable;
  protected readonly ttl: StateTtlConfig | undefined;

  constructor(backend: KeyedStateBackend, table: StateTable) {
    this.backend = backend;
    this.table = table;
    this.ttl = table.ttl;
  }

  protected raw(): unknown {
    return this.table.get(this.backend.currentKey, this.namespace);
  }

  protected store(value: unknown): void {
    this.table.put(this.backend.currentKey, this.namespace, value);
    if (this.ttl !== undefined) {
      const now = this.backend.now();
      this.table.cleanupIncrementally(now, (s, t) => isExpiredStored(this.table, s, t), this.ttl.cleanupSize);
    }
  }

  clear(): void {
    this.table.remove(this.backend.currentKey, this.namespace);
  }

  /** Unwraps a TTL value, honouring visibility and refreshing the timestamp on read if configured. */
  protected readTtl<V>(stored: TtlValue<V> | undefined, now: number): V | undefined {
    if (stored === undefined) return undefined;
    if (expired(this.ttl!, stored, now)) {
      if (this.ttl!.visibility === 'ReturnExpiredIfNotCleanedUp') return stored.v;
      return undefined;
    }
    if (this.ttl!.updateType === 'OnReadAndWrite') stored.t = now;
    return stored.v;
  }
}

/** Merges values of several namespaces into one (session window merging). */
export interface MergeableState {
  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void;
}

export class HeapValueState<T> extends InternalKeyedState implements ValueState<T> {
  readonly #defaultValue: T | undefined;

  constructor(backend: KeyedStateBackend, table: StateTable, descriptor: ValueStateDescriptor<T>) {
    super(backend, table);
    this.#defaultValue = descriptor.defaultValue;
  }

  value(): T | undefined {
    const stored = this.raw();
    if (this.ttl === undefined) return stored === undefined ? this.#defaultValue : (stored as T);
    const v = this.readTtl(stored as TtlValue<T> | undefined, this.backend.now());
    if (v === undefined && stored !== undefined && this.ttl.visibility === 'NeverReturnExpired') this.clear();
    return v === undefined ? this.#defaultValue : v;
  }

  update(value: T): void {
    if (value === undefined) {
      this.clear();
      return;
    }
    this.store(this.ttl === undefined ? value : { v: value, t: this.backend.now() });
  }
}

export class HeapListState<T> extends InternalKeyedState implements ListState<T>, MergeableState {
  get(): T[] {
    const stored = this.raw() as unknown[] | undefined;
    if (stored === undefined) return [];
    if (this.ttl === undefined) return (stored as T[]).slice();
    const now = this.backend.now();
    const out: T[] = [];
    for (const e of stored as TtlValue<T>[]) {
      const v = this.readTtl(e, now);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  /** The stored list itself, for the window operator's hot path (no copy). Only without TTL. */
  getInternal(): T[] | undefined {
    return this.raw() as T[] | undefined;
  }

  add(value: T): void {
    const stored = this.raw() as unknown[] | undefined;
    const entry = this.ttl === undefined ? value : { v: value, t: this.backend.now() };
    if (stored === undefined) this.store([entry]);
    else {
      stored.push(entry);
      if (this.ttl !== undefined) this.store(stored);
    }
  }

  addAll(values: readonly T[]): void {
    for (const v of values) this.add(v);
  }

  update(values: readonly T[]): void {
    if (values.length === 0) {
      this.clear();
      return;
    }
    const now = this.ttl === undefined ? 0 : this.backend.now();
    this.store(this.ttl === undefined ? values.slice() : values.map((v) => ({ v, t: now })));
  }

  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void {
    const key = this.backend.currentKey;
    let merged = (this.table.get(key, target) as unknown[] | undefined) ?? [];
    for (const ns of sources) {
      if (ns === target) continue;
      const part = this.table.get(key, ns) as unknown[] | undefined;
      if (part !== undefined) {
        merged = merged.concat(part);
        this.table.remove(key, ns);
      }
    }
    if (merged.length > 0) this.table.put(key, target, merged);
  }
}

export class HeapMapState<K, V> extends InternalKeyedState implements MapState<K, V> {
  #map(create: boolean): Map<K, unknown> | undefined {
    let m = this.raw() as Map<K, unknown> | undefined;
    if (m === undefined && create) {
      m = new Map();
      this.store(m);
    }
    return m;
  }

  #read(stored: unknown, now: number): V | undefined {
    if (this.ttl === undefined) return stored as V | undefined;
    return this.readTtl(stored as TtlValue<V> | undefined, now);
  }

  get(key: K): V | undefined {
    const m = this.#map(false);
    if (m === undefined) return undefined;
    return this.#read(m.get(key), this.ttl === undefined ? 0 : this.backend.now());
  }

  put(key: K, value: V): void {
    const m = this.#map(true)!;
    m.set(key, this.ttl === undefined ? value : { v: value, t: this.backend.now() });
    if (this.ttl !== undefined) this.store(m);
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    for (const [k, v] of entries) this.put(k, v);
  }

  remove(key: K): void {
    const m = this.#map(false);
    if (m === undefined) return;
    m.delete(key);
    if (m.size === 0) this.clear();
  }

  contains(key: K): boolean {
    return this.get(key) !== undefined;
  }

  entries(): [K, V][] {
    const m = this.#map(false);
    if (m === undefined) return [];
    const now = this.ttl === undefined ? 0 : this.backend.now();
    const out: [K, V][] = [];
    for (const [k, stored] of m) {
      const v = this.#read(stored, now);
      if (v !== undefined) out.push([k, v]);
    }
    return out;
  }

  keys(): K[] {
    return this.entries().map((e) => e[0]);
  }

  values(): V[] {
    return this.entries().map((e) => e[1]);
  }

  isEmpty(): boolean {
    return this.entries().length === 0;
  }
}

export class HeapReducingState<T> extends InternalKeyedState implements ReducingState<T>, MergeableState {
  readonly #reduce: (a: T, b: T) => T;

  constructor(backend: KeyedStateBackend, table: StateTable, descriptor: ReducingStateDescriptor<T>) {
    super(backend, table);
    this.#reduce = descriptor.reduce;
  }

  get(): T | undefined {
    const stored = this.raw();
    if (this.ttl === undefined) return stored as T | undefined;
    return this.readTtl(stored as TtlValue<T> | undefined, this.backend.now());
  }

  add(value: T): void {
    const current = this.get();
    const next = current === undefined ? value : this.#reduce(current, value);
    this.store(this.ttl === undefined ? next : { v: next, t: this.backend.now() });
  }

  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void {
    const saved = this.namespace;
    let acc: T | undefined;
    for (const ns of [target, ...sources.filter((n) => n !== target)]) {
      this.namespace = ns;
      const v = this.get();
      if (v !== undefined) acc = acc === undefined ? v : this.#reduce(acc, v);
      if (ns !== target) this.clear();
    }
    this.namespace = target;
    if (acc !== undefined) this.store(this.ttl === undefined ? acc : { v: acc, t: this.backend.now() });
    this.namespace = saved;
  }
}

export class HeapAggregatingState<IN, ACC, OUT>
  extends InternalKeyedState
  implements AggregatingState<IN, OUT>, MergeableState
{
  readonly #fn: AggregatingStateDescriptor<IN, ACC, OUT>['aggregate'];

  constructor(
    backend: KeyedStateBackend,
    table: StateTable,
    descriptor: AggregatingStateDescriptor<IN, ACC, OUT>,
  ) {
    super(backend, table);
    this.#fn = descriptor.aggregate;
  }

  getAccumulator(): ACC | undefined {
    const stored = this.raw();
    if (this.ttl === undefined) return stored as ACC | undefined;
    return this.readTtl(stored as TtlValue<ACC> | undefined, this.backend.now());
  }

  get(): OUT | undefined {
    const acc = this.getAccumulator();
    return acc === undefined ? undefined : this.#fn.getResult(acc);
  }

  add(value: IN): void {
    if (this.ttl === undefined) {
      const key = this.backend.currentKey;
      const acc = this.table.get(key, this.namespace) as ACC | undefined;
      const next = this.#fn.add(value, acc === undefined ? this.#fn.createAccumulator() : acc);
      if (next !== acc) this.table.put(key, this.namespace, next);
      return;
    }
    const acc = this.getAccumulator() ?? this.#fn.createAccumulator();
    this.store({ v: this.#fn.add(value, acc), t: this.backend.now() });
  }

  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void {
    const saved = this.namespace;
    let acc: ACC | undefined;
    for (const ns of [target, ...sources.filter((n) => n !== target)]) {
      this.namespace = ns;
      const v = this.getAccumulator();
      if (v !== undefined) acc = acc === undefined ? v : this.#fn.merge(acc, v);
      if (ns !== target) this.clear();
    }
    this.namespace = target;
    if (acc !== undefined) this.store(this.ttl === undefined ? acc : { v: acc, t: this.backend.now() });
    this.namespace = saved;
  }
}

export type AnyInternalState =
  | HeapValueState<unknown>
  | HeapListState<unknown>
  | HeapMapState<unknown, unknown>
  | HeapReducingState<unknown>
  | HeapAggregatingState<unknown, unknown, unknown>;

export function createInternalState(
  backend: KeyedStateBackend,
  descriptor: AnyStateDescriptor,
): AnyInternalState {
  const table = backend.table(descriptor);
  switch (descriptor.kind) {
    case 'value':
      return new HeapValueState(backend, table, descriptor);
    case 'list':
      return new HeapListState(backend, table);
    case 'map':
      return new HeapMapState(backend, table);
    case 'reducing':
      return new HeapReducingState(backend, table, descriptor);
    case 'aggregating':
      return new HeapAggregatingState(backend, table, descriptor);
  }
}

export type { ListStateDescriptor, MapStateDescriptor };
