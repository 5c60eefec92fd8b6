// Feeds records to a SinkWriter. A writer may return a promise from write(); the task waits for pending
// writes before it ends, and each write's failure fails the job with the record named.
import type { Sink, SinkWriter } from '../api/sink.ts';
import { AbstractStreamOperator } from './abstract-stream-operator.ts';

export class SinkOperator<T> extends AbstractStreamOperator<T, never> {
  readonly #sink: Sink<T>;
  #writer!: SinkWriter<T>;
  #pending: Promise<unknown>[] = [];
  #asyncError: unknown;

  constructor(sink: Sink<T>) {
    super();
    this.#sink = sink;
  }

  override async open(): Promise<void> {
    this.#writer = await this.#sink.createWriter({
      subtaskIndex: this.ctx.subtaskIndex,
      parallelism: this.ctx.parallelism,
      operatorName: this.ctx.name,
    });
  }

  processElement(value: T, timestamp: number): void {
    if (this.#asyncError !== undefined) throw this.#asyncError;
    let result: void | Promise<void>;
    try {
      result = this.#writer.write(value, timestamp);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
      return;
    }
    if (result !== undefined) {
      const tracked = result.catch((e) => {
        try {
          this.recordFailed(value, timestamp, e);
        } catch (fatal) {
          this.#asyncError ??= fatal;
        }
      });
      this.#pending.push(tracked);
      if (this.#pending.length > 1024) this.#pending = this.#pending.slice(-1024);
    }
  }

  /** Waits for writes in flight; rethrows the first asynchronous failure. */
  async drain(): Promise<void> {
    await Promise.all(this.#pending);
    this.#pending = [];
    if (this.#asyncError !== undefined) throw this.#asyncError;
  }

  override endInput(): void {}

  async finish(): Promise<void> {
    await this.drain();
    await this.#writer.flush(true);
  }

  override async close(): Promise<void> {
    await super.close();
    await this.#writer?.close();
  }
}
