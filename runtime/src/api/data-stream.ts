// DataStream: a typed stream of records. Each method records a transformation and returns the next stream,
// so the compiler checks that every function fits the records it receives.

import type { Partitioner } from '../graph/partitioner.ts';
import type { Transformation } from '../graph/transformation.ts';
import { ProcessOperator } from '../operators/process-operator.ts';
import { SinkOperator } from '../operators/sink-operator.ts';
import { StreamFilter } from '../operators/stream-filter.ts';
import { StreamFlatMap } from '../operators/stream-flat-map.ts';
import { StreamMap } from '../operators/stream-map.ts';
import type { OperatorFactory } from '../operators/stream-operator.ts';
import { TimestampsAndWatermarksOperator } from '../operators/timestamps-and-watermarks-operator.ts';
import { checkParallelism } from '../state/key-group-range.ts';
import type { KeyValue } from '../state/key-hash.ts';
import type { WatermarkStrategy } from '../time/watermark-strategy.ts';
import type { RecordErrorPolicy } from './dead-letter.ts';
import type { StreamExecutionEnvironment } from './execution-environment.ts';
import type { FilterFunction, FlatMapFunction, KeySelector, MapFunction } from './functions.ts';
import type { KeyedStream } from './keyed-stream.ts';
import { keyedStreamConstructor } from './keyed-stream-constructor.ts';
import type { OutputTag } from './output-tag.ts';
import type { ProcessFunction } from './process-function.ts';
import type { Sink } from './sink.ts';

export class DataStream<T> {
  readonly env: StreamExecutionEnvironment;
  readonly transformation: Transformation;
  /** Phantom field carrying the record type. */
  declare readonly __type?: T;

  constructor(env: StreamExecutionEnvironment, transformation: Transformation) {
    this.env = env;
    this.transformation = transformation;
  }

  /** @internal Adds a one-input operator fed by this stream. */
  transform<R>(
    name: string,
    operator: OperatorFactory<T, R>,
    stateKeySelector?: KeySelector<T, unknown>,
  ): SingleOutputStreamOperator<R> {
    const t = this.env.add<Transformation & { kind: 'one-input' }>({
      kind: 'one-input',
      input: this.transformation,
      operator: operator as OperatorFactory<unknown, unknown>,
      stateKeySelector: stateKeySelector as KeySelector<unknown, unknown> | undefined,
      name,
      uid: undefined,
      parallelism: this.#inheritedParallelism(),
      maxParallelism: undefined,
      recordErrors: undefined,
      chaining: true,
    });
    return new SingleOutputStreamOperator<R>(this.env, t);
  }

  #inheritedParallelism(): number | undefined {
    // Like Flink, an operator takes the environment's parallelism unless set; sources keep their own.
    return undefined;
  }

  map<R>(fn: MapFunction<T, R>): SingleOutputStreamOperator<R> {
    requireFunction(fn, 'map');
    return this.transform<R>('Map', () => new StreamMap(fn));
  }

  filter(fn: FilterFunction<T>): SingleOutputStreamOperator<T> {
    requireFunction(fn, 'filter');
    return this.transform<T>('Filter', () => new StreamFilter(fn));
  }

  flatMap<R>(fn: FlatMapFunction<T, R>): SingleOutputStreamOperator<R> {
    requireFunction(fn, 'flatMap');
    return this.transform<R>('Flat Map', () => new StreamFlatMap(fn));
  }

  /** A ProcessFunction per record; `fn` is a factory when it holds per-subtask fields. */
  process<R>(fn: ProcessFunction<T, R> | (() => ProcessFunction<T, R>)): SingleOutputStreamOperator<R> {
    const factory = typeof fn === 'function' ? fn : () => fn;
    const probe = factory();
    if (typeof probe?.processElement !== 'function') {
      throw new TypeError('process(fn): fn must be a ProcessFunction with processElement(value, ctx, out)');
    }
    if ('onTimer' in probe) {
      throw new TypeError(
        'process(fn): this function has onTimer, but timers only exist on keyed streams; ' +
          'call keyBy(...) first and pass a KeyedProcessFunction',
      );
    }
    return this.transform<R>('Process', () => new ProcessOperator(factory()));
  }

  /** Partitions the stream by key: records with the same key go to the same subtask and share keyed state. */
  keyBy<K extends KeyValue>(selector: KeySelector<T, K>): KeyedStream<T, K> {
    requireFunction(selector, 'keyBy');
    const partition = this.#partition({
      kind: 'hash',
      keySelector: selector as KeySelector<unknown, unknown>,
    });
    const Keyed = keyedStreamConstructor.current!;
    return new Keyed(this.env, partition, selector as KeySelector<never, unknown>) as KeyedStream<T, K>;
  }

  rebalance(): DataStream<T> {
    return new DataStream<T>(this.env, this.#partition({ kind: 'rebalance' }));
  }

  broadcast(): DataStream<T> {
    return new DataStream<T>(this.env, this.#partition({ kind: 'broadcast' }));
  }

  forward(): DataStream<T> {
    return new DataStream<T>(this.env, this.#partition({ kind: 'forward' }));
  }

  global(): DataStream<T> {
    return new DataStream<T>(this.env, this.#partition({ kind: 'global' }));
  }

  #partition(partitioner: Partitioner): Transformation {
    return this.env.add<Transformation & { kind: 'partition' }>({
      kind: 'partition',
      input: this.transformation,
      partitioner,
      name: partitioner.kind,
      uid: undefined,
      parallelism: undefined,
      maxParallelism: undefined,
      recordErrors: undefined,
      chaining: true,
    });
  }

  union(...others: DataStream<T>[]): DataStream<T> {
    for (const o of others) {
      if (o.env !== this.env)
        throw new Error('union: all streams must come from the same execution environment');
    }
    const t = this.env.add<Transformation & { kind: 'union' }>({
      kind: 'union',
      inputs: [this.transformation, ...others.map((o) => o.transformation)],
      name: 'Union',
      uid: undefined,
      parallelism: undefined,
      maxParallelism: undefined,
      recordErrors: undefined,
      chaining: true,
    });
    return new DataStream<T>(this.env, t);
  }

  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): SingleOutputStreamOperator<T> {
    return this.transform<T>('Timestamps/Watermarks', () => new TimestampsAndWatermarksOperator(strategy));
  }

  sinkTo(sink: Sink<T>, name = sinkName(sink)): DataStreamSink<T> {
    if (typeof sink?.createWriter !== 'function') {
      throw new TypeError('sinkTo(sink): sink must implement createWriter(ctx)');
    }
    const t = this.env.add<Transformation & { kind: 'sink' }>({
      kind: 'sink',
      input: this.transformation,
      operator: (() => new SinkOperator(sink)) as OperatorFactory<unknown, unknown>,
      name: `Sink: ${name}`,
      uid: undefined,
      parallelism: undefined,
      maxParallelism: undefined,
      recordErrors: undefined,
      chaining: true,
    });
    return new DataStreamSink<T>(t);
  }
}

/** A stream produced by one operator: it can be named, given a uid and parallelism, and has side outputs. */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  name(name: string): this {
    if (typeof name !== 'string' || name.length === 0)
      throw new TypeError('name(...) needs a non-empty string');
    this.transformation.name = name;
    return this;
  }

  /** A stable id that matches this operator's state on restore. Set it on every stateful operator. */
  uid(uid: string): this {
    if (typeof uid !== 'string' || uid.length === 0) throw new TypeError('uid(...) needs a non-empty string');
    this.transformation.uid = uid;
    return this;
  }

  setParallelism(parallelism: number): this {
    checkParallelism(this.transformation.maxParallelism ?? this.env.config.maxParallelism, parallelism);
    this.transformation.parallelism = parallelism;
    return this;
  }

  setMaxParallelism(maxParallelism: number): this {
    checkParallelism(maxParallelism, 1);
    this.transformation.maxParallelism = maxParallelism;
    return this;
  }

  disableChaining(): this {
    this.transformation.chaining = false;
    return this;
  }

  /**
   * What happens when a user function throws on a record: 'fail' (default) fails the job with a message
   * naming the operator, record and cause; 'dead-letter' sends the record with its error to
   * getSideOutput(DEAD_LETTER) and keeps going.
   */
  onRecordError(policy: RecordErrorPolicy): this {
    if (policy !== 'fail' && policy !== 'dead-letter') {
      throw new TypeError(`onRecordError: policy must be 'fail' or 'dead-letter', got ${String(policy)}`);
    }
    this.transformation.recordErrors = policy;
    return this;
  }

  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    const t = this.env.add<Transformation & { kind: 'side-output' }>({
      kind: 'side-output',
      input: this.transformation,
      tag: tag as OutputTag<unknown>,
      name: `SideOutput(${tag.id})`,
      uid: undefined,
      parallelism: undefined,
      maxParallelism: undefined,
      recordErrors: undefined,
      chaining: true,
    });
    return new DataStream<X>(this.env, t);
  }
}

export class DataStreamSource<T> extends SingleOutputStreamOperator<T> {}

export class DataStreamSink<T> {
  readonly transformation: Transformation;
  declare readonly __type?: T;

  constructor(transformation: Transformation) {
    this.transformation = transformation;
  }

  name(name: string): this {
    this.transformation.name = name;
    return this;
  }

  uid(uid: string): this {
    this.transformation.uid = uid;
    return this;
  }

  setParallelism(parallelism: number): this {
    this.transformation.parallelism = parallelism;
    return this;
  }
}

function requireFunction(fn: unknown, method: string): void {
  if (typeof fn !== 'function') throw new TypeError(`${method}(fn): fn must be a function, got ${typeof fn}`);
}

function sinkName(sink: object): string {
  const n = sink.constructor?.name;
  return n && n !== 'Object' ? n : 'Sink';
}
