import type { FlatMapFunction } from '../api/functions.ts';
import { AbstractStreamOperator } from './abstract-stream-operator.ts';
import { TimestampedCollector } from './timestamped-collector.ts';

export class StreamFlatMap<IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  readonly #fn: FlatMapFunction<IN, OUT>;
  #collector!: TimestampedCollector<OUT>;

  constructor(fn: FlatMapFunction<IN, OUT>) {
    super();
    this.#fn = fn;
  }

  override open(): void {
    this.#collector = new TimestampedCollector(this.output);
  }

  processElement(value: IN, timestamp: number): void {
    this.#collector.timestamp = timestamp;
    try {
      this.#fn(value, this.#collector);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
    }
  }
}
