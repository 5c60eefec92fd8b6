import type { MapFunction } from '../api/functions.ts';
import { AbstractStreamOperator } from './abstract-stream-operator.ts';

export class StreamMap<IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  readonly #fn: MapFunction<IN, OUT>;

  constructor(fn: MapFunction<IN, OUT>) {
    super();
    this.#fn = fn;
  }

  processElement(value: IN, timestamp: number): void {
    let result: OUT;
    try {
      result = this.#fn(value);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
      return;
    }
    this.output.collect(result, timestamp);
  }
}
