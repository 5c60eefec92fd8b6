// WindowedStream: keyed records grouped into windows, emitted by a trigger through a window function.
import { reduceAsAggregate } from '../operators/keyed-reduce-operator.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import { toMillis } from '../time/duration.ts';
import { SessionAggregateOperator } from '../windowing/session-aggregate-operator.ts';
import { EventTimeSessionWindows } from '../windowing/session-windows.ts';
import { SlidingPaneOperator } from '../windowing/sliding-pane-operator.ts';
import { SlidingEventTimeWindows } from '../windowing/sliding-windows.ts';
import type { Trigger } from '../windowing/trigger.ts';
import type { TimeWindow, Window } from '../windowing/window.ts';
import type { WindowAssigner } from '../windowing/window-assigner.ts';
import { type WindowContents, WindowOperator } from '../windowing/window-operator.ts';
import type { SingleOutputStreamOperator } from './data-stream.ts';
import type { AggregateFunction, ReduceFunction } from './functions.ts';
import type { KeyedStream } from './keyed-stream.ts';
import type { OutputTag } from './output-tag.ts';
import {
  type ProcessWindowFunction,
  type ProcessWindowFunctionLike,
  toProcessWindowFunction,
} from './process-window-function.ts';

export class WindowedStream<T, K, W extends Window> {
  readonly #input: KeyedStream<T, K>;
  readonly #assigner: WindowAssigner<T, W>;
  #trigger: Trigger<T, W> | undefined;
  #allowedLateness = 0;
  #lateDataTag: OutputTag<T> | undefined;
  #keepLast: number | undefined;

  constructor(input: KeyedStream<T, K>, assigner: WindowAssigner<T, W>) {
    this.#input = input;
    this.#assigner = assigner;
  }

  trigger(trigger: Trigger<T, W>): this {
    this.#trigger = trigger;
    return this;
  }

  /** Keeps windows for `lateness` after they fire; late records re-fire them. Event time only. */
  allowedLateness(lateness: number | string): this {
    const ms = toMillis(lateness, 'allowedLateness');
    if (ms < 0) throw new RangeError(`allowedLateness must be >= 0, got ${ms} ms`);
    if (ms > 0 && !this.#assigner.isEventTime()) {
      throw new Error(`allowedLateness applies to event-time windows only; ${this.#assigner} is not one`);
    }
    this.#allowedLateness = ms;
    return this;
  }

  /** Records too late for any window go to this side output instead of being dropped. */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.#lateDataTag = tag;
    return this;
  }

  /** @internal Sliding count windows: evaluate only the last `n` elements. */
  evictToLast(n: number): this {
    this.#keepLast = n;
    return this;
  }

  reduce(fn: ReduceFunction<T>): SingleOutputStreamOperator<T>;
  reduce<R>(
    fn: ReduceFunction<T>,
    windowFn: ProcessWindowFunctionLike<T, R, K, W>,
  ): SingleOutputStreamOperator<R>;
  reduce<R>(
    fn: ReduceFunction<T>,
    windowFn?: ProcessWindowFunctionLike<T, R, K, W>,
  ): SingleOutputStreamOperator<R> {
    return this.aggregate(reduceAsAggregate(fn), windowFn as ProcessWindowFunctionLike<T, R, K, W>);
  }

  /** Incremental aggregation: one accumulator per key and window, the fast path. */
  aggregate<ACC, V>(fn: AggregateFunction<T, ACC, V>): SingleOutputStreamOperator<V>;
  aggregate<ACC, V, R>(
    fn: AggregateFunction<T, ACC, V>,
    windowFn: ProcessWindowFunctionLike<V, R, K, W>,
  ): SingleOutputStreamOperator<R>;
  aggregate<ACC, V, R>(
    fn: AggregateFunction<T, ACC, V>,
    windowFn?: ProcessWindowFunctionLike<V, R, K, W>,
  ): SingleOutputStreamOperator<R> {
    if (typeof fn?.add !== 'function' || typeof fn.createAccumulator !== 'function') {
      throw new TypeError(
        'aggregate(fn): fn must be an AggregateFunction {createAccumulator, add, getResult, merge}',
      );
    }
    if (this.#keepLast !== undefined) {
      const aggregate = fn;
      return this.process<R>((key, ctx, elements, out) => {
        let acc = aggregate.createAccumulator();
        for (const e of elements) acc = aggregate.add(e, acc);
        const v = aggregate.getResult(acc);
        if (windowFn === undefined) out.collect(v as unknown as R);
        else toProcessWindowFunction(windowFn).process(key, ctx, [v], out);
      });
    }
    const wf = windowFn === undefined ? undefined : toProcessWindowFunction(windowFn);
    const a = this.#assigner as unknown as WindowAssigner<T, W>;
    if (
      a instanceof SlidingEventTimeWindows &&
      a.size % a.slide === 0 &&
      this.#trigger === undefined &&
      this.#allowedLateness === 0 &&
      this.#lateDataTag === undefined
    ) {
      // Pane slicing: each record is added to one pane, not to each of its size/slide windows.
      const config = {
        size: a.size,
        slide: a.slide,
        offset: a.offset,
        fn: fn as AggregateFunction<T, unknown, unknown>,
        windowFunction: wf as unknown as ProcessWindowFunction<unknown, R, K, TimeWindow> | undefined,
      };
      return this.#input.transformKeyed<R>(
        `Window(${a}, panes, AggregateFunction)`,
        () => new SlidingPaneOperator<T, unknown, R, K>(config) as unknown as StreamOperator<T, R>,
      );
    }
    if (
      a instanceof EventTimeSessionWindows &&
      this.#trigger === undefined &&
      this.#allowedLateness === 0 &&
      this.#lateDataTag === undefined
    ) {
      // Sessions as plain state per key: no window objects, merges or timer moves per record.
      const sessions = a as EventTimeSessionWindows<T>;
      const config = {
        gapOf: (e: T) => sessions.gapOf(e),
        describe: String(sessions),
        fn: fn as AggregateFunction<T, unknown, unknown>,
        windowFunction: wf as unknown as ProcessWindowFunction<unknown, R, K, TimeWindow> | undefined,
      };
      return this.#input.transformKeyed<R>(
        `Window(${a}, sessions, AggregateFunction)`,
        () => new SessionAggregateOperator<T, unknown, R, K>(config) as unknown as StreamOperator<T, R>,
      );
    }
    return this.#build<R>(
      { kind: 'aggregate', fn: fn as AggregateFunction<T, unknown, unknown> },
      wf,
      'AggregateFunction',
    );
  }

  /** The full-window function: all elements of the window at once (buffers them). */
  process<R>(fn: ProcessWindowFunctionLike<T, R, K, W>): SingleOutputStreamOperator<R> {
    const pwf = toProcessWindowFunction(fn);
    if (typeof pwf.process !== 'function') {
      throw new TypeError(
        'process(fn): fn must be a ProcessWindowFunction or a function (key, ctx, elements, out)',
      );
    }
    const keepLast = this.#keepLast;
    const effective: ProcessWindowFunction<T, R, K, W> =
      keepLast === undefined
        ? pwf
        : { process: (key, ctx, elements, out) => pwf.process(key, ctx, elements.slice(-keepLast), out) };
    return this.#build<R>({ kind: 'list' }, effective, 'ProcessWindowFunction');
  }

  #build<R>(
    contents: WindowContents<T, unknown>,
    windowFunction: ProcessWindowFunction<unknown, R, K, W> | undefined,
    fnName: string,
  ): SingleOutputStreamOperator<R> {
    const trigger = this.#trigger ?? this.#assigner.getDefaultTrigger();
    if (this.#assigner.constructor.name.includes('Session') && !trigger.canMerge()) {
      throw new Error(
        `trigger ${trigger} cannot be used with merging (session) windows: it does not support merging`,
      );
    }
    const config = {
      assigner: this.#assigner,
      trigger,
      contents,
      windowFunction,
      allowedLateness: this.#allowedLateness,
      lateDataTag: this.#lateDataTag,
    };
    const name = `Window(${this.#assigner}, ${trigger}, ${fnName})`;
    return this.#input.transformKeyed<R>(
      name,
      () => new WindowOperator<T, unknown, R, K, W>(config) as unknown as StreamOperator<T, R>,
    );
  }
}
