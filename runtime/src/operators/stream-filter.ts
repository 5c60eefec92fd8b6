import type { FilterFunction } from '../api/functions.ts';
import { AbstractStreamOperator } from './abstract-stream-operator.ts';

export class StreamFilter<T> extends AbstractStreamOperator<T, T> {
  readonly #fn: FilterFunction<T>;

  constructor(fn: FilterFunction<T>) {
    super();
    this.#fn = fn;
  }

  processElement(value: T, timestamp: number): void {
    let keep: boolean;
    try {
      keep = this.#fn(value);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
      return;
    }
    if (keep) this.output.collect(value, timestamp);
  }
}
