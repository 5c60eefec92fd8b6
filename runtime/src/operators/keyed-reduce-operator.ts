// KeyedStream.reduce / aggregate: a rolling result per key, emitted after every record.
import type { AggregateFunction } from '../api/functions.ts';
import type { HeapAggregatingState } from '../state/internal-keyed-state.ts';
import { aggregatingState } from '../state/state-descriptor.ts';
import { AbstractStreamOperator } from './abstract-stream-operator.ts';
import { BackendStateStore } from './keyed-state-store.ts';

export class KeyedAggregateOperator<IN, ACC, OUT> extends AbstractStreamOperator<IN, OUT> {
  readonly #fn: AggregateFunction<IN, ACC, OUT>;
  #state!: HeapAggregatingState<IN, ACC, OUT>;

  constructor(fn: AggregateFunction<IN, ACC, OUT>) {
    super();
    this.#fn = fn;
  }

  protected override restoredStateKind(): string {
    return 'aggregating';
  }

  override open(): void {
    const store = new BackendStateStore(() => this.keyedBackend(), '');
    this.#state = store.get(aggregatingState('riffle-rolling-aggregate', this.#fn));
  }

  processElement(value: IN, timestamp: number): void {
    let result: OUT;
    try {
      this.#state.add(value);
      result = this.#state.get() as OUT;
    } catch (e) {
      this.recordFailed(value, timestamp, e);
      return;
    }
    this.output.collect(result, timestamp);
  }
}

/** A reduce as an aggregate whose accumulator is the reduced value itself. */
export function reduceAsAggregate<T>(
  reduce: (a: T, b: T) => T,
): AggregateFunction<T, { v: T | undefined }, T> {
  return {
    createAccumulator: () => ({ v: undefined }),
    add: (value, acc) => ({ v: acc.v === undefined ? value : reduce(acc.v, value) }),
    getResult: (acc) => acc.v as T,
    merge: (a, b) => (a.v === undefined ? b : b.v === undefined ? a : { v: reduce(a.v, b.v) }),
  };
}
