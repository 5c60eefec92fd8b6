// Hands out keyed state objects for a backend; one object per descriptor name, reused across records.
import type { KeyedStateStore, RuntimeContext, TaskInfo } from '../api/runtime-context.ts';
import { type AnyInternalState, createInternalState } from '../state/internal-keyed-state.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { AnyStateDescriptor } from '../state/state-descriptor.ts';
import type { Namespace } from '../state/state-table.ts';
import type { OperatorContext } from './operator-context.ts';

export class BackendStateStore implements KeyedStateStore {
  readonly #backend: () => KeyedStateBackend;
  readonly #states = new Map<string, AnyInternalState>();
  #namespace: Namespace;

  constructor(backend: () => KeyedStateBackend, namespace: Namespace) {
    this.#backend = backend;
    this.#namespace = namespace;
  }

  /** Points every state of this store at a namespace (a window, for per-window state). */
  setNamespace(namespace: Namespace): void {
    this.#namespace = namespace;
    for (const s of this.#states.values()) s.namespace = namespace;
  }

  get<S>(descriptor: AnyStateDescriptor): S {
    let state = this.#states.get(descriptor.name);
    if (state === undefined) {
      state = createInternalState(this.#backend(), descriptor);
      state.namespace = this.#namespace;
      this.#states.set(descriptor.name, state);
    }
    return state as S;
  }

  /** Clears this store's states for the current key and namespace. */
  clearAll(): void {
    for (const s of this.#states.values()) s.clear();
  }

  getState = this.get as KeyedStateStore['getState'];
  getListState = this.get as KeyedStateStore['getListState'];
  getMapState = this.get as KeyedStateStore['getMapState'];
  getReducingState = this.get as KeyedStateStore['getReducingState'];
  getAggregatingState = this.get as KeyedStateStore['getAggregatingState'];
}

export function taskInfo(ctx: OperatorContext): TaskInfo {
  return {
    operatorName: ctx.name,
    indexOfThisSubtask: ctx.subtaskIndex,
    numberOfParallelSubtasks: ctx.parallelism,
    maxNumberOfParallelSubtasks: ctx.maxParallelism,
  };
}

export function runtimeContext(ctx: OperatorContext, store: KeyedStateStore): RuntimeContext {
  return {
    taskInfo: taskInfo(ctx),
    getState: (d) => store.getState(d),
    getListState: (d) => store.getListState(d),
    getMapState: (d) => store.getMapState(d),
    getReducingState: (d) => store.getReducingState(d),
    getAggregatingState: (d) => store.getAggregatingState(d),
  };
}
