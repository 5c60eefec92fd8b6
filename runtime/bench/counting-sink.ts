// A sink that only counts: benchmarks measure the engine, not output formatting.
import type { Sink, SinkWriter } from '../src/api/sink.ts';

export class CountingSink<T> implements Sink<T> {
  count = 0;

  createWriter(): SinkWriter<T> {
    return {
      write: () => {
        this.count++;
      },
      flush() {},
      close() {},
    };
  }
}
