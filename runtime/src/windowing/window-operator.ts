// Flink's WindowOperator: assigns records to windows, keeps per-(key, window) contents (an accumulator on
// the incremental fast path, or the list of elements for process()), asks the trigger when to fire, and
// cleans a window up once the watermark passes its end plus the allowed lateness. Late records whose windows
// are all gone go to the late-data side output, or are dropped and counted.
import type { AggregateFunction } from '../api/functions.ts';
import type { OutputTag } from '../api/output-tag.ts';
import type { ProcessWindowContext, ProcessWindowFunction } from '../api/process-window-function.ts';
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.ts';
import { BackendStateStore } from '../operators/keyed-state-store.ts';
import { TimestampedCollector } from '../operators/timestamped-collector.ts';
import type { HeapAggregatingState, HeapListState, MergeableState } from '../state/internal-keyed-state.ts';
import type { ValueState } from '../state/keyed-state.ts';
import {
  type AnyStateDescriptor,
  aggregatingState,
  listState,
  valueState,
} from '../state/state-descriptor.ts';
import type { InternalTimerService, TimerEntry } from '../time/internal-timer-service.ts';
import { MAX_WATERMARK } from '../time/watermark.ts';
import { MergingWindowSet, type PersistedWindowSet } from './merging-window-set.ts';
import { isFire, isPurge, type OnMergeContext, type Trigger } from './trigger.ts';
import {
  deserializeWindow,
  type SerializedWindow,
  serializeWindow,
  type TimeWindow,
  type Window,
} from './window.ts';
import { isMerging, type WindowAssigner } from './window-assigner.ts';

export type WindowContents<IN, ACC> =
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunction<IN, ACC, unknown> }
  | { readonly kind: 'list' };

export type WindowOperatorConfig<IN, ACC, OUT, K, W extends Window> = {
  readonly assigner: WindowAssigner<IN, W>;
  readonly trigger: Trigger<IN, W>;
  readonly contents: WindowContents<IN, ACC>;
  /** Applied to the window result (aggregate) or the elements (list); absent = emit the aggregate result. */
  readonly windowFunction: ProcessWindowFunction<unknown, OUT, K, W> | undefined;
  readonly allowedLateness: number;
  readonly lateDataTag: OutputTag<IN> | undefined;
};

const CONTENTS = 'riffle-window-contents';
const MERGING_WINDOWS = 'riffle-merging-windows';

export class WindowOperator<IN, ACC, OUT, K, W extends Window> extends AbstractStreamOperator<IN, OUT> {
  readonly #cfg: WindowOperatorConfig<IN, ACC, OUT, K, W>;
  readonly #eventTime: boolean;
  readonly #merging: boolean;
  #contents!: (HeapAggregatingState<IN, ACC, unknown> | HeapListState<IN>) & MergeableState;
  #mergingState!: ValueState<PersistedWindowSet>;
  #timers!: InternalTimerService<W>;
  #triggerStore!: BackendStateStore;
  #windowStore!: BackendStateStore;
  #globalStore!: BackendStateStore;
  #collector!: TimestampedCollector<OUT>;
  readonly #triggerCtx: TriggerCtx<W>;
  readonly #assignerCtx = { getCurrentProcessingTime: () => this.ctx.clock.now() };
  #processCtx!: ProcessWindowContext<W> & { window: W };

  constructor(config: WindowOperatorConfig<IN, ACC, OUT, K, W>) {
    super();
    this.#cfg = config;
    this.#eventTime = config.assigner.isEventTime();
    this.#merging = isMerging(config.assigner);
    this.#triggerCtx = new TriggerCtx<W>(this);
  }

  protected override restoredStateKind(name: string): string {
    if (name === CONTENTS) return this.#cfg.contents.kind === 'list' ? 'list' : 'aggregating';
    return name === 'riffle-count-trigger' ? 'reducing' : 'value';
  }

  override open(): void {
    const backend = () => this.keyedBackend();
    const contentsDescriptor: AnyStateDescriptor =
      this.#cfg.contents.kind === 'aggregate'
        ? (aggregatingState(CONTENTS, this.#cfg.contents.fn) as AnyStateDescriptor)
        : listState(CONTENTS);
    const contentsStore = new BackendStateStore(backend, '');
    this.#contents = contentsStore.get(contentsDescriptor);
    this.#mergingState = new BackendStateStore(backend, '').get(
      valueState<PersistedWindowSet>(MERGING_WINDOWS),
    );
    this.#triggerStore = new BackendStateStore(backend, '');
    this.#windowStore = new BackendStateStore(backend, '');
    this.#globalStore = new BackendStateStore(backend, '');
    this.#collector = new TimestampedCollector(this.output);
    this.#timers = this.getTimerService<W>(
      {
        onEventTime: (ts, w) => this.#onTimer(ts, w, true),
        onProcessingTime: (ts, w) => this.#onTimer(ts, w, false),
      },
      (w) => w.namespace,
    );
    const operator = this;
    const merging = this.#merging;
    const name = this.ctx.name;
    this.#processCtx = {
      window: undefined as unknown as W,
      currentProcessingTime: () => this.ctx.clock.now(),
      currentWatermark: () => this.currentWatermark,
      get windowState() {
        if (merging) {
          // As in Flink: state scoped to a window cannot follow it through merges.
          throw new Error(
            `operator "${name}": per-window state is not allowed with merging (session) windows; use globalState`,
          );
        }
        return operator.#windowStore;
      },
      globalState: this.#globalStore,
      output(tag, value) {
        operator.output.collectSide(tag, value, this.window.maxTimestamp());
      },
    };
  }

  get timers(): InternalTimerService<W> {
    return this.#timers;
  }

  get triggerStore(): BackendStateStore {
    return this.#triggerStore;
  }

  processElement(value: IN, timestamp: number): void {
    let windows: readonly W[];
    try {
      windows = this.#cfg.assigner.assignWindows(value, timestamp, this.#assignerCtx);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
      return;
    }
    let skipped = true;
    if (this.#merging) {
      const set = new MergingWindowSet(this.#mergingState);
      for (const w of windows as unknown as readonly TimeWindow[]) {
        const actual = set.addWindow(
          w,
          (mergeResult, mergedWindows, stateWindowResult, mergedStateWindows) => {
            if (this.#eventTime && this.#cleanupTime(mergeResult as unknown as W) <= this.currentWatermark) {
              throw new Error(
                `window operator "${this.ctx.name}": merging produced window ${mergeResult} whose end is already ` +
                  'behind the watermark; event-time windows cannot end earlier by merging',
              );
            }
            this.#triggerCtx.window = mergeResult as unknown as W;
            this.#triggerCtx.mergedWindows = mergedWindows as unknown as W[];
            this.#cfg.trigger.onMerge(mergeResult as unknown as W, this.#triggerCtx);
            for (const m of mergedWindows as unknown as W[]) {
              this.#triggerCtx.window = m;
              this.#cfg.trigger.clear(m, this.#triggerCtx);
              this.#deleteCleanupTimer(m);
            }
            this.#contents.mergeNamespaces(
              stateWindowResult.namespace,
              mergedStateWindows.map((s) => s.namespace),
            );
          },
        ) as unknown as W;
        if (this.#isWindowLate(actual)) {
          set.retireWindow(actual as unknown as TimeWindow);
          continue;
        }
        skipped = false;
        const stateWindow = set.getStateWindow(actual as unknown as TimeWindow)!;
        this.#contents.namespace = stateWindow.namespace;
        this.#addAndTrigger(value, timestamp, actual);
      }
      set.persist();
    } else {
      for (let i = 0; i < windows.length; i++) {
        const w = windows[i]!;
        if (this.#isWindowLate(w)) continue;
        skipped = false;
        this.#contents.namespace = w.namespace;
        this.#addAndTrigger(value, timestamp, w);
      }
    }
    if (skipped && this.#isElementLate(timestamp)) {
      if (this.#cfg.lateDataTag !== undefined)
        this.output.collectSide(this.#cfg.lateDataTag, value, timestamp);
      else this.ctx.metrics.numLateRecordsDropped++;
    }
  }

  #addAndTrigger(value: IN, timestamp: number, window: W): void {
    try {
      this.#contents.add(value);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
      return;
    }
    this.#triggerCtx.window = window;
    const result = this.#cfg.trigger.onElement(value, timestamp, window, this.#triggerCtx);
    if (isFire(result)) this.#emit(window);
    if (isPurge(result)) this.#contents.clear();
    this.#registerCleanupTimer(window);
  }

  #onTimer(timestamp: number, window: W, eventTime: boolean): void {
    this.#triggerCtx.window = window;
    let set: MergingWindowSet | undefined;
    if (this.#merging) {
      set = new MergingWindowSet(this.#mergingState);
      const stateWindow = set.getStateWindow(window as unknown as TimeWindow);
      if (stateWindow === undefined) return; // purged and merged away already
      this.#contents.namespace = stateWindow.namespace;
    } else {
      this.#contents.namespace = window.namespace;
    }
    const result = eventTime
      ? this.#cfg.trigger.onEventTime(timestamp, window, this.#triggerCtx)
      : this.#cfg.trigger.onProcessingTime(timestamp, window, this.#triggerCtx);
    if (isFire(result)) this.#emit(window);
    if (isPurge(result)) this.#contents.clear();
    if (this.#eventTime === eventTime && this.#cleanupTime(window) === timestamp) {
      this.#clearAllState(window, set);
    }
    set?.persist();
  }

  #emit(window: W): void {
    const contents = this.#contents;
    let elements: readonly unknown[] | undefined;
    if (this.#cfg.contents.kind === 'aggregate') {
      const acc = (contents as HeapAggregatingState<IN, ACC, unknown>).getAccumulator();
      if (acc === undefined) return;
      const result = this.#cfg.contents.fn.getResult(acc);
      if (this.#cfg.windowFunction === undefined) {
        this.output.collect(result as OUT, window.maxTimestamp());
        return;
      }
      elements = [result];
    } else {
      elements = (contents as HeapListState<IN>).getInternal();
      if (elements === undefined || elements.length === 0) return;
    }
    const fn = this.#cfg.windowFunction!;
    this.#collector.timestamp = window.maxTimestamp();
    this.#processCtx.window = window;
    this.#windowStore.setNamespace(window.namespace);
    try {
      fn.process(this.keyedBackend().getCurrentKey() as K, this.#processCtx, elements, this.#collector);
    } catch (e) {
      this.recordFailed(
        { key: this.keyedBackend().getCurrentKey(), window: String(window) },
        window.maxTimestamp(),
        e,
      );
    }
  }

  #clearAllState(window: W, set: MergingWindowSet | undefined): void {
    this.#contents.clear();
    this.#triggerCtx.window = window;
    this.#cfg.trigger.clear(window, this.#triggerCtx);
    if (this.#cfg.windowFunction?.clear !== undefined) {
      this.#processCtx.window = window;
      this.#windowStore.setNamespace(window.namespace);
      this.#cfg.windowFunction.clear(this.#processCtx);
    }
    this.#windowStore.setNamespace(window.namespace);
    this.#windowStore.clearAll();
    if (set !== undefined) set.retireWindow(window as unknown as TimeWindow);
  }

  #cleanupTime(window: W): number {
    if (!this.#eventTime) return window.maxTimestamp();
    const t = window.maxTimestamp() + this.#cfg.allowedLateness;
    return t >= window.maxTimestamp() ? t : MAX_WATERMARK;
  }

  #isWindowLate(window: W): boolean {
    return this.#eventTime && this.#cleanupTime(window) <= this.currentWatermark;
  }

  #isElementLate(timestamp: number): boolean {
    return this.#eventTime && timestamp + this.#cfg.allowedLateness <= this.currentWatermark;
  }

  #registerCleanupTimer(window: W): void {
    const t = this.#cleanupTime(window);
    if (t === MAX_WATERMARK) return; // GlobalWindow: never cleaned up
    if (this.#eventTime) this.#timers.registerEventTimeTimer(window, t);
    else this.#timers.registerProcessingTimeTimer(window, t);
  }

  #deleteCleanupTimer(window: W): void {
    const t = this.#cleanupTime(window);
    if (t === MAX_WATERMARK) return;
    if (this.#eventTime) this.#timers.deleteEventTimeTimer(window, t);
    else this.#timers.deleteProcessingTimeTimer(window, t);
  }

  /** At the end of a bounded input every pending window fires, processing-time ones included. */
  override endInput(): void {
    this.#timers.advanceProcessingTime(MAX_WATERMARK);
  }

  protected override snapshotTimers(timers: TimerEntry<unknown>[]): TimerEntry<unknown>[] {
    return timers.map(([d, k, w, ts]) => [d, k, serializeWindow(w as Window), ts]);
  }

  protected override restoreTimers(timers: TimerEntry<unknown>[]): TimerEntry<unknown>[] {
    return timers.map(([d, k, w, ts]) => [d, k, deserializeWindow(w as SerializedWindow), ts]);
  }
}

type TriggerHost<W extends Window> = {
  readonly currentWatermark: number;
  readonly ctx: { readonly clock: { now(): number } };
  readonly timers: InternalTimerService<W>;
  readonly triggerStore: BackendStateStore;
};

/** The context triggers see; `window` and `mergedWindows` are set before each call. */
class TriggerCtx<W extends Window> implements OnMergeContext {
  window!: W;
  mergedWindows: W[] = [];
  readonly #op: TriggerHost<W>;

  constructor(op: TriggerHost<W>) {
    this.#op = op;
  }

  getCurrentWatermark(): number {
    return this.#op.currentWatermark;
  }

  getCurrentProcessingTime(): number {
    return this.#op.ctx.clock.now();
  }

  registerEventTimeTimer(time: number): void {
    this.#op.timers.registerEventTimeTimer(this.window, time);
  }

  registerProcessingTimeTimer(time: number): void {
    this.#op.timers.registerProcessingTimeTimer(this.window, time);
  }

  deleteEventTimeTimer(time: number): void {
    this.#op.timers.deleteEventTimeTimer(this.window, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.#op.timers.deleteProcessingTimeTimer(this.window, time);
  }

  getPartitionedState<S>(descriptor: AnyStateDescriptor): S {
    const store = this.#op.triggerStore;
    store.setNamespace(this.window.namespace);
    return store.get<S>(descriptor);
  }

  mergePartitionedState(descriptor: AnyStateDescriptor): void {
    const state = this.getPartitionedState<Partial<MergeableState>>(descriptor);
    if (state.mergeNamespaces === undefined) {
      throw new Error(
        `trigger state "${descriptor.name}" (${descriptor.kind}) cannot be merged; use reducing, aggregating or list state`,
      );
    }
    state.mergeNamespaces(
      this.window.namespace,
      this.mergedWindows.map((w) => w.namespace),
    );
  }
}
