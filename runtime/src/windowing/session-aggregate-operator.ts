// Event-time session windows with incremental aggregation, without per-record window objects, merges or
// timer moves. Per key, value state holds the open sessions ({start, end, acc}, usually one). A record at
// t opens [t, t + gap) and joins every session it overlaps (Flink's TimeWindow.intersects: touching
// counts), extending it. One event-time timer is registered when a session opens; when it fires for a
// session that has since grown, it is registered again at the new end (lazily, so a record that extends
// a session costs no timer work). When the watermark passes a session's end − 1, its result is emitted
// with the window [start, end) and the session is dropped.
//
// Used by WindowedStream.aggregate for EventTimeSessionWindows with the default trigger and no allowed
// lateness or late-data output; the results are those of WindowOperator (a test compares both).
import type { AggregateFunction } from '../api/functions.ts';
import type { ProcessWindowContext, ProcessWindowFunction } from '../api/process-window-function.ts';
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.ts';
import { BackendStateStore } from '../operators/keyed-state-store.ts';
import { TimestampedCollector } from '../operators/timestamped-collector.ts';
import type { ValueState } from '../state/keyed-state.ts';
import { valueState } from '../state/state-descriptor.ts';
import type { InternalTimerService } from '../time/internal-timer-service.ts';
import { NO_TIMESTAMP } from '../time/watermark.ts';
import { missingTimestamp } from './missing-timestamp.ts';
import { TimeWindow } from './window.ts';

const SESSIONS = 'riffle-session-aggregates';

type Session<ACC> = { start: number; end: number; acc: ACC };

export type SessionAggregateConfig<IN, ACC, OUT, K> = {
  readonly gapOf: (element: IN) => number;
  readonly describe: string;
  readonly fn: AggregateFunction<IN, ACC, unknown>;
  readonly windowFunction: ProcessWindowFunction<unknown, OUT, K, TimeWindow> | undefined;
};

export class SessionAggregateOperator<IN, ACC, OUT, K> extends AbstractStreamOperator<IN, OUT> {
  readonly #cfg: SessionAggregateConfig<IN, ACC, OUT, K>;
  #sessions!: ValueState<Session<ACC>[]>;
  #timers!: InternalTimerService<number>;
  #collector!: TimestampedCollector<OUT>;
  #processCtx!: ProcessWindowContext<TimeWindow> & { window: TimeWindow };

  constructor(config: SessionAggregateConfig<IN, ACC, OUT, K>) {
    super();
    this.#cfg = config;
  }

  protected override restoredStateKind(): string {
    return 'value';
  }

  override open(): void {
    const backend = () => this.keyedBackend();
    this.#sessions = new BackendStateStore(backend, '').get(valueState<Session<ACC>[]>(SESSIONS));
    const globalStore = new BackendStateStore(backend, '');
    this.#collector = new TimestampedCollector(this.output);
    this.#timers = this.getTimerService<number>(
      { onEventTime: (ts) => this.#onTimer(ts), onProcessingTime: () => {} },
      (n) => n,
    );
    const operator = this;
    const name = this.ctx.name;
    this.#processCtx = {
      window: undefined as unknown as TimeWindow,
      currentProcessingTime: () => this.ctx.clock.now(),
      currentWatermark: () => this.currentWatermark,
      get windowState(): never {
        throw new Error(
          `operator "${name}": per-window state is not allowed with merging (session) windows; use globalState`,
        );
      },
      globalState: globalStore,
      output(tag, value) {
        operator.output.collectSide(tag, value, this.window.maxTimestamp());
      },
    };
  }

  processElement(value: IN, timestamp: number): void {
    if (timestamp === NO_TIMESTAMP) {
      this.recordFailed(value, timestamp, missingTimestamp(this.#cfg.describe));
      return;
    }
    let end: number;
    try {
      end = timestamp + this.#cfg.gapOf(value);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
      return;
    }
    const fn = this.#cfg.fn;
    const sessions = this.#sessions.value();
    let joined: Session<ACC> | undefined;
    if (sessions !== undefined) {
      for (let i = 0; i < sessions.length; i++) {
        const s = sessions[i]!;
        if (!(s.start <= end && s.end >= timestamp)) continue;
        if (joined === undefined) {
          joined = s;
          if (timestamp < s.start) s.start = timestamp;
          if (end > s.end) s.end = end;
        } else {
          // The record bridges two sessions: they become one.
          joined.start = Math.min(joined.start, s.start);
          joined.end = Math.max(joined.end, s.end);
          joined.acc = fn.merge(joined.acc, s.acc);
          sessions.splice(i--, 1);
        }
      }
    }
    if (joined === undefined) {
      if (end - 1 <= this.currentWatermark) {
        this.ctx.metrics.numLateRecordsDropped++;
        return;
      }
      joined = { start: timestamp, end, acc: fn.createAccumulator() };
      if (sessions === undefined) this.#sessions.update([joined]);
      else sessions.push(joined);
      this.#timers.registerEventTimeTimer(0, end - 1);
    }
    try {
      joined.acc = fn.add(value, joined.acc);
    } catch (e) {
      this.recordFailed(value, timestamp, e);
    }
    if (sessions !== undefined) this.#sessions.update(sessions);
  }

  #onTimer(timestamp: number): void {
    const sessions = this.#sessions.value();
    if (sessions === undefined) return;
    const open: Session<ACC>[] = [];
    for (const s of sessions) {
      if (s.end - 1 <= timestamp) this.#emit(s);
      else {
        open.push(s);
        this.#timers.registerEventTimeTimer(0, s.end - 1);
      }
    }
    if (open.length === 0) this.#sessions.clear();
    else this.#sessions.update(open);
  }

  #emit(s: Session<ACC>): void {
    const result = this.#cfg.fn.getResult(s.acc);
    const ts = s.end - 1;
    const wf = this.#cfg.windowFunction;
    if (wf === undefined) {
      this.output.collect(result as OUT, ts);
      return;
    }
    const window = TimeWindow.merging(s.start, s.end);
    this.#collector.timestamp = ts;
    this.#processCtx.window = window;
    try {
      wf.process(this.keyedBackend().getCurrentKey() as K, this.#processCtx, [result], this.#collector);
    } catch (e) {
      this.recordFailed({ key: this.keyedBackend().getCurrentKey(), window: String(window) }, ts, e);
    }
  }
}
