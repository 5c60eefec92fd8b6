// KeyedStream: a stream partitioned by key. Operators on it have keyed state and timers.
import type { Transformation } from '../graph/transformation.ts';
import { KeyedProcessOperator } from '../operators/keyed-process-operator.ts';
import { KeyedAggregateOperator, reduceAsAggregate } from '../operators/keyed-reduce-operator.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import { GlobalWindows } from '../windowing/global-windows.ts';
import { CountTrigger, PurgingTrigger } from '../windowing/triggers.ts';
import type { GlobalWindow, Window } from '../windowing/window.ts';
import type { WindowAssigner } from '../windowing/window-assigner.ts';
import { DataStream, type SingleOutputStreamOperator } from './data-stream.ts';
import type { StreamExecutionEnvironment } from './execution-environment.ts';
import type { AggregateFunction, KeySelector, ReduceFunction } from './functions.ts';
import { keyedStreamConstructor } from './keyed-stream-constructor.ts';
import type { KeyedProcessFunction } from './process-function.ts';
import { WindowedStream } from './windowed-stream.ts';

export class KeyedStream<T, K> extends DataStream<T> {
  readonly keySelector: KeySelector<T, K>;

  constructor(
    env: StreamExecutionEnvironment,
    transformation: Transformation,
    keySelector: KeySelector<T, K>,
  ) {
    super(env, transformation);
    this.keySelector = keySelector;
  }

  /** @internal A keyed operator: keyed state and timers scoped to each record's key. */
  transformKeyed<R>(name: string, operator: () => StreamOperator<T, R>): SingleOutputStreamOperator<R> {
    return this.transform<R>(name, operator, this.keySelector);
  }

  /**
   * A KeyedProcessFunction per record, with keyed state and timers. Pass a factory when the function
   * keeps fields (state handles from open()): each parallel subtask then gets its own instance.
   */
  override process<R>(
    fn: KeyedProcessFunction<K, T, R> | (() => KeyedProcessFunction<K, T, R>),
  ): SingleOutputStreamOperator<R> {
    const factory = typeof fn === 'function' ? fn : () => fn;
    if (typeof factory()?.processElement !== 'function') {
      throw new TypeError(
        'process(fn): fn must be a KeyedProcessFunction with processElement(value, ctx, out)',
      );
    }
    return this.transformKeyed<R>('KeyedProcess', () => new KeyedProcessOperator(factory()));
  }

  /** A rolling reduce: emits the reduced value of the key after every record. */
  reduce(fn: ReduceFunction<T>): SingleOutputStreamOperator<T> {
    return this.transformKeyed<T>('Keyed Reduce', () => new KeyedAggregateOperator(reduceAsAggregate(fn)));
  }

  /** A rolling aggregate: emits the key's current result after every record. */
  aggregate<ACC, R>(fn: AggregateFunction<T, ACC, R>): SingleOutputStreamOperator<R> {
    return this.transformKeyed<R>('Keyed Aggregate', () => new KeyedAggregateOperator(fn));
  }

  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    if (typeof assigner?.assignWindows !== 'function') {
      throw new TypeError(
        'window(assigner): pass a WindowAssigner such as TumblingEventTimeWindows.of(Time.minutes(1))',
      );
    }
    return new WindowedStream<T, K, W>(this, assigner);
  }

  /** Count windows: every `size` records of a key (sliding by `slide` if given). */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`countWindow size must be a positive integer, got ${size}`);
    const ws = new WindowedStream<T, K, GlobalWindow>(
      this,
      GlobalWindows.create() as WindowAssigner<T, GlobalWindow>,
    );
    if (slide === undefined) return ws.trigger(PurgingTrigger.of(CountTrigger.of(size)));
    if (!Number.isInteger(slide) || slide < 1)
      throw new RangeError(`countWindow slide must be a positive integer, got ${slide}`);
    return ws.trigger(CountTrigger.of(slide)).evictToLast(size);
  }
}

keyedStreamConstructor.current = KeyedStream as never;
