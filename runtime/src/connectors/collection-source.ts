// A bounded source over an in-memory array (env.fromCollection / fromElements). Elements are split
// round-robin over subtasks: subtask s emits indices s, s + p, s + 2p, ...
import type { InputStatus, ReaderOutput, Source, SourceReader, SourceReaderContext } from '../api/source.ts';

export type TimestampedElement<T> = { readonly value: T; readonly timestamp: number };

export class CollectionSource<T> implements Source<T> {
  readonly boundedness = 'bounded' as const;
  readonly #elements: readonly T[];
  readonly #timestampOf: ((value: T, index: number) => number) | undefined;

  constructor(elements: readonly T[], timestampOf?: (value: T, index: number) => number) {
    if (!Array.isArray(elements)) throw new TypeError('fromCollection needs an array of elements');
    this.#elements = elements;
    this.#timestampOf = timestampOf;
  }

  createReader(ctx: SourceReaderContext, restored: unknown[] | undefined): SourceReader<T> {
    const start = (restored?.[0] as { next: number } | undefined)?.next ?? ctx.subtaskIndex;
    return new CollectionReader(this.#elements, start, ctx.parallelism, this.#timestampOf);
  }
}

class CollectionReader<T> implements SourceReader<T> {
  readonly #elements: readonly T[];
  readonly #step: number;
  readonly #timestampOf: ((value: T, index: number) => number) | undefined;
  #next: number;

  constructor(
    elements: readonly T[],
    start: number,
    step: number,
    timestampOf?: (value: T, index: number) => number,
  ) {
    this.#elements = elements;
    this.#next = start;
    this.#step = step;
    this.#timestampOf = timestampOf;
  }

  pollNext(output: ReaderOutput<T>, budget: number): InputStatus {
    const els = this.#elements;
    for (let n = 0; n < budget && this.#next < els.length; n++) {
      const i = this.#next;
      this.#next += this.#step;
      const v = els[i]!;
      if (this.#timestampOf === undefined) output.collect(v);
      else output.collect(v, this.#timestampOf(v, i));
    }
    return this.#next < els.length ? 'more-available' : 'end-of-input';
  }

  isAvailable(): Promise<void> {
    return Promise.resolve();
  }

  snapshotState(): unknown[] {
    return [{ next: this.#next }];
  }

  close(): void {}
}
