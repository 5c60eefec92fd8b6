// Sliding event-time windows with incremental aggregation, by panes (slicing): a window of size s sliding
// by d is cut into s/d panes of length d, and a record is added once, to the accumulator of its pane —
// never copied into each of the s/d windows it belongs to (the cost Flink's WindowOperator pays per
// record). When the watermark passes a window's end, the accumulators of its panes are merged into the
// window's result, and the oldest pane, which no later window contains, is dropped.
//
// Used by WindowedStream.aggregate for SlidingEventTimeWindows with size a multiple of the slide, the
// default trigger and no allowed lateness or late-data output (semantics then equal WindowOperator's:
// each window fires once, at its end, with the aggregate of its records). Timers are registered per
// (key, pane) — when a pane gets its first record — not per record.
//
// The AggregateFunction's merge must not modify its second argument (the pane's accumulator, still needed
// by later windows); the first argument is always a copy owned by the operator.
import type { AggregateFunction } from '../api/functions.ts';
import type { ProcessWindowContext, ProcessWindowFunction } from '../api/process-window-function.ts';
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.ts';
import { BackendStateStore } from '../operators/keyed-state-store.ts';
import { TimestampedCollector } from '../operators/timestamped-collector.ts';
import type { HeapAggregatingState } from '../state/internal-keyed-state.ts';
import { aggregatingState } from '../state/state-descriptor.ts';
import type { InternalTimerService, TimerEntry } from '../time/internal-timer-service.ts';
import { NO_TIMESTAMP } from '../time/watermark.ts';
import { missingTimestamp } from './missing-timestamp.ts';
import { deserializeWindow, type SerializedWindow, serializeWindow, TimeWindow } from './window.ts';

const PANES = 'riffle-window-panes';

export type SlidingPaneConfig<IN, ACC, OUT, K> = {
  readonly size: number;
  readonly slide: number;
  readonly offset: number;
  readonly fn: AggregateFunction<IN, ACC, unknown>;
  readonly windowFunction: ProcessWindowFunction<unknown, OUT, K, TimeWindow> | undefined;
};

function copy<T>(v: T): T {
  return typeof v === 'object' && v !== null ? structuredClone(v) : v;
}

export class SlidingPaneOperator<IN, ACC, OUT, K> extends AbstractStreamOperator<IN, OUT> {
  readonly #cfg: SlidingPaneConfig<IN, ACC, OUT, K>;
  #panes!: HeapAggregatingState<IN, ACC, unknown>;
  #timers!: InternalTimerService<TimeWindow>;
  #windowStore!: BackendStateStore;
  #collector!: TimestampedCollector<OUT>;
  #processCtx!: ProcessWindowContext<TimeWindow> & { window: TimeWindow };

  constructor(config: SlidingPaneConfig<IN, ACC, OUT, K>) {
    super();
    if (config.size % config.slide !== 0) {
      throw new RangeError(
        `pane slicing needs a window size (${config.size}) that is a multiple of the slide (${config.slide})`,
      );
    }
    this.#cfg = config;
  }

  protected override restoredStateKind(name: string): string {
    return name === PANES ? 'aggregating' : 'value';
  }

  override open(): void {
    const backend = () => this.keyedBackend();
    this.#panes = new BackendStateStore(backend, '').get(
      aggregatingState(PANES, this.#cfg.fn as AggregateFunction<unknown, unknown, unknown>),
    ) as HeapAggregatingState<IN, ACC, unknown>;
    this.#windowStore = new BackendStateStore(backend, '');
    const globalStore = new BackendStateStore(backend, '');
    this.#collector = new TimestampedCollector(this.output);
    this.#timers = this.getTimerService<TimeWindow>(
      { onEventTime: (ts, w) => this.#fire(ts, w), onProcessingTime: () => {} },
      (w) => w.namespace,
    );
    const operator = this;
    this.#processCtx = {
      window: undefined as unknown as TimeWindow,
      currentProcessingTime: () => this.ctx.clock.now(),
      currentWatermark: () => this.currentWatermark,
      windowState: this.#windowStore,
      globalState: globalStore,
      output(tag, value) {
        operator.output.collectSide(tag, value, this.window.maxTimestamp());
      },
    };
  }

  processElement(value: IN, timestamp: number): void {
    if (timestamp === NO_TIMESTAMP) {
      this.recordFailed(
        value,
        timestamp,
        missingTimestamp(`SlidingEventTimeWindows(${this.#cfg.size}, ${this.#cfg.slide})`),
      );
      return;
    }
    const { slide, offset, size } = this.#cfg;
    const paneStart = TimeWindow.getWindowStartWithOffset(timestamp, offset, slide);
    // The last window containing the pane ends at paneStart + size; if even that one has fired, the record
    // is late for all its windows.
    if (paneStart + size - 1 <= this.currentWatermark) {
      this.ctx.metrics.numLateRecordsDropped++;
      return;
    }
    const panes = this.#panes;
    panes.namespace = paneStart;
    const first = panes.getAccumulator() === undefined;
    try {
      panes.add(value);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
      return;
    }
    if (first) {
      // A new pane of this key: every window containing it must fire (deduplicated per key and window).
      for (let end = paneStart + slide; end <= paneStart + size; end += slide) {
        if (end - 1 > this.currentWatermark)
          this.#timers.registerEventTimeTimer(new TimeWindow(end - size, end), end - 1);
      }
    }
  }

  #fire(timestamp: number, window: TimeWindow): void {
    if (timestamp !== window.maxTimestamp()) return;
    const { fn, slide } = this.#cfg;
    const panes = this.#panes;
    let acc: ACC | undefined;
    for (let start = window.start; start < window.end; start += slide) {
      panes.namespace = start;
      const pane = panes.getAccumulator();
      if (pane === undefined) continue;
      acc = acc === undefined ? copy(pane) : fn.merge(acc, pane);
    }
    // No later window contains the oldest pane.
    panes.namespace = window.start;
    panes.clear();
    if (acc === undefined) return;
    const result = fn.getResult(acc);
    const wf = this.#cfg.windowFunction;
    if (wf === undefined) {
      this.output.collect(result as OUT, window.maxTimestamp());
      return;
    }
    this.#collector.timestamp = window.maxTimestamp();
    this.#processCtx.window = window;
    this.#windowStore.setNamespace(window.namespace);
    try {
      wf.process(this.keyedBackend().getCurrentKey() as K, this.#processCtx, [result], this.#collector);
      wf.clear?.(this.#processCtx);
    } catch (e) {
      this.recordFailed(
        { key: this.keyedBackend().getCurrentKey(), window: String(window) },
        window.maxTimestamp(),
        e,
      );
    }
    this.#windowStore.setNamespace(window.namespace);
    this.#windowStore.clearAll();
  }

  protected override snapshotTimers(timers: TimerEntry<unknown>[]): TimerEntry<unknown>[] {
    return timers.map(([d, k, w, ts]) => [d, k, serializeWindow(w as TimeWindow), ts]);
  }

  protected override restoreTimers(timers: TimerEntry<unknown>[]): TimerEntry<unknown>[] {
    return timers.map(([d, k, w, ts]) => [d, k, deserializeWindow(w as SerializedWindow), ts]);
  }
}
