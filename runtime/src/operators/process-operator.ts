// Runs a ProcessFunction on a non-keyed stream. Timers need a key, so asking for one fails clearly.
import type { ProcessContext, ProcessFunction, TimerService } from '../api/process-function.ts';
import { AbstractStreamOperator } from './abstract-stream-operator.ts';
import { BackendStateStore, runtimeContext } from './keyed-state-store.ts';
import { TimestampedCollector } from './timestamped-collector.ts';

export class ProcessOperator<IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  readonly #fn: ProcessFunction<IN, OUT>;
  #collector!: TimestampedCollector<OUT>;
  #timestamp = Number.NEGATIVE_INFINITY;
  readonly #context: ProcessContext;

  constructor(fn: ProcessFunction<IN, OUT>) {
    super();
    this.#fn = fn;
    const noTimers = (): never => {
      throw new Error(
        `operator "${this.ctx.name}": timers are only supported on keyed streams; call keyBy(...) and use a KeyedProcessFunction`,
      );
    };
    const timers: TimerService = {
      currentProcessingTime: () => this.ctx.clock.now(),
      currentWatermark: () => this.currentWatermark,
      registerEventTimeTimer: noTimers,
      registerProcessingTimeTimer: noTimers,
      deleteEventTimeTimer: noTimers,
      deleteProcessingTimeTimer: noTimers,
    };
    this.#context = {
      timestamp: () => this.#timestamp,
      timerService: () => timers,
      output: (tag, value) => this.output.collectSide(tag, value, this.#timestamp),
    };
  }

  override async open(): Promise<void> {
    this.#collector = new TimestampedCollector(this.output);
    await this.#fn.open?.(runtimeContext(this.ctx, new BackendStateStore(() => this.keyedBackend(), '')));
  }

  processElement(value: IN, timestamp: number): void {
    this.#timestamp = timestamp;
    this.#collector.timestamp = timestamp;
    try {
      this.#fn.processElement(value, this.#context, this.#collector);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
    }
  }

  override async close(): Promise<void> {
    await super.close();
    await this.#fn.close?.();
  }
}
