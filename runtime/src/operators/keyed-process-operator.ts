// Runs a KeyedProcessFunction: keyed state, and event-time and processing-time timers per key, deduplicated
// per key and timestamp.
import type { KeyedProcessFunction, OnTimerContext, TimerService } from '../api/process-function.ts';
import type { InternalTimerService } from '../time/internal-timer-service.ts';
import { AbstractStreamOperator } from './abstract-stream-operator.ts';
import { BackendStateStore, runtimeContext } from './keyed-state-store.ts';
import { TimestampedCollector } from './timestamped-collector.ts';

const VOID = 0;

export class KeyedProcessOperator<K, IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  readonly #fn: KeyedProcessFunction<K, IN, OUT>;
  #collector!: TimestampedCollector<OUT>;
  #timers!: InternalTimerService<number>;
  #timestamp = Number.NEGATIVE_INFINITY;
  #domain: 'event-time' | 'processing-time' = 'event-time';
  readonly #context: OnTimerContext<K>;

  constructor(fn: KeyedProcessFunction<K, IN, OUT>) {
    super();
    this.#fn = fn;
    const timerService: TimerService = {
      currentProcessingTime: () => this.ctx.clock.now(),
      currentWatermark: () => this.currentWatermark,
      registerEventTimeTimer: (t) => this.#timers.registerEventTimeTimer(VOID, t),
      registerProcessingTimeTimer: (t) => this.#timers.registerProcessingTimeTimer(VOID, t),
      deleteEventTimeTimer: (t) => this.#timers.deleteEventTimeTimer(VOID, t),
      deleteProcessingTimeTimer: (t) => this.#timers.deleteProcessingTimeTimer(VOID, t),
    };
    this.#context = {
      timestamp: () => this.#timestamp,
      timerService: () => timerService,
      output: (tag, value) => this.output.collectSide(tag, value, this.#timestamp),
      getCurrentKey: () => this.keyedBackend().getCurrentKey() as K,
      timeDomain: () => this.#domain,
    };
  }

  override async open(): Promise<void> {
    this.#collector = new TimestampedCollector(this.output);
    this.#timers = this.getTimerService<number>(
      {
        onEventTime: (ts) => this.#onTimer(ts, 'event-time'),
        onProcessingTime: (ts) => this.#onTimer(ts, 'processing-time'),
      },
      (ns) => ns,
    );
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

  #onTimer(timestamp: number, domain: 'event-time' | 'processing-time'): void {
    if (this.#fn.onTimer === undefined) return;
    this.#domain = domain;
    // Event-time timer output carries the timer's timestamp; processing-time output carries none (as Flink).
    this.#timestamp = domain === 'event-time' ? timestamp : Number.NEGATIVE_INFINITY;
    this.#collector.timestamp = this.#timestamp;
    try {
      this.#fn.onTimer(timestamp, this.#context, this.#collector);
    } catch (e) {
      this.recordFailed({ timer: timestamp, key: this.keyedBackend().getCurrentKey() }, timestamp, e);
    }
  }

  override async close(): Promise<void> {
    await super.close();
    await this.#fn.close?.();
  }
}
