// Collects a job's output in memory, for tests and small local runs: `sink.values` after execute().
// Records from all subtasks land in one array in arrival order; sortedValues() gives a stable order.
import type { Sink, SinkWriter } from '../api/sink.ts';

export type CollectedRecord<T> = { readonly value: T; readonly timestamp: number; readonly subtask: number };

export class CollectSink<T> implements Sink<T> {
  readonly records: CollectedRecord<T>[] = [];

  get values(): T[] {
    return this.records.map((r) => r.value);
  }

  createWriter(ctx: { subtaskIndex: number }): SinkWriter<T> {
    const records = this.records;
    const subtask = ctx.subtaskIndex;
    return {
      write(value: T, timestamp: number) {
        records.push({ value, timestamp, subtask });
      },
      flush() {},
      close() {},
    };
  }

  /** Values sorted by their JSON text: a deterministic order whatever the parallelism. */
  sortedValues(): T[] {
    return this.values
      .map((v) => [JSON.stringify(v), v] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map((e) => e[1]);
  }
}
