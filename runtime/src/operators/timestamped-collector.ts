// A Collector that stamps every emitted record with a fixed timestamp (the input record's, or a window's).
import type { Collector } from '../api/collector.ts';
import type { Output } from './output.ts';

export class TimestampedCollector<T> implements Collector<T> {
  timestamp = Number.NEGATIVE_INFINITY;
  readonly #output: Output<T>;

  constructor(output: Output<T>) {
    this.#output = output;
  }

  collect(value: T): void {
    this.#output.collect(value, this.timestamp);
  }
}
