// Drives one operator directly, as Flink's OneInputStreamOperatorTestHarness does: the test calls
// processElement and processWatermark explicitly and reads what the operator emitted, with a manual clock.
import type { OutputTag } from '../../../runtime/src/api/output-tag.ts';
import { OperatorMetrics } from '../../../runtime/src/operators/operator-metrics.ts';
import type { Output } from '../../../runtime/src/operators/output.ts';
import type { StreamOperator } from '../../../runtime/src/operators/stream-operator.ts';
import { HeapKeyedStateBackend } from '../../../runtime/src/state/heap-keyed-state-backend.ts';
import { computeKeyGroupRangeForOperatorIndex } from '../../../runtime/src/state/key-group-range.ts';
import type { KeyValue } from '../../../runtime/src/state/key-hash.ts';
import { normalizeKey } from '../../../runtime/src/state/key-normalizer.ts';
import { ManualProcessingTimeService } from '../../../runtime/src/time/processing-time-service.ts';

export type Emitted<T> = { value: T; timestamp: number };

export class OperatorHarness<IN, OUT> {
  readonly clock: ManualProcessingTimeService;
  readonly metrics = new OperatorMetrics();
  readonly output: Emitted<OUT>[] = [];
  readonly side = new Map<string, Emitted<unknown>[]>();
  readonly watermarks: number[] = [];
  readonly operator: StreamOperator<IN, OUT>;
  readonly #backend: HeapKeyedStateBackend | undefined;
  readonly #keyOf: ((v: IN) => KeyValue) | undefined;

  constructor(
    operator: StreamOperator<IN, OUT>,
    options: { keyOf?: (v: IN) => KeyValue; clockStart?: number } = {},
  ) {
    this.operator = operator;
    this.clock = new ManualProcessingTimeService(options.clockStart ?? 0);
    this.#keyOf = options.keyOf;
    this.#backend =
      options.keyOf === undefined
        ? undefined
        : new HeapKeyedStateBackend({
            maxParallelism: 128,
            keyGroupRange: computeKeyGroupRangeForOperatorIndex(128, 1, 0),
            now: () => this.clock.now(),
          });
    const out: Output<OUT> = {
      collect: (value, timestamp) => void this.output.push({ value, timestamp }),
      collectSide: <X>(tag: OutputTag<X>, value: X, timestamp: number) => {
        const list = this.side.get(tag.id) ?? [];
        list.push({ value, timestamp });
        this.side.set(tag.id, list);
      },
      emitWatermark: (wm) => void this.watermarks.push(wm),
      emitWatermarkStatus() {},
      endOfInput() {},
    };
    operator.setup(
      {
        name: 'op-under-test',
        uid: 'op-under-test',
        subtaskIndex: 0,
        parallelism: 1,
        maxParallelism: 128,
        clock: this.clock,
        keyedBackend: this.#backend,
        metrics: this.metrics,
        recordErrors: 'fail',
        autoWatermarkInterval: 0,
      },
      out,
    );
  }

  async open(): Promise<this> {
    this.operator.initializeState(undefined);
    await this.operator.open();
    return this;
  }

  element(value: IN, timestamp: number): this {
    if (this.#backend !== undefined) this.#backend.setCurrentKey(normalizeKey(this.#keyOf!(value)));
    this.operator.processElement(value, timestamp);
    return this;
  }

  watermark(wm: number): this {
    this.operator.processWatermark(wm);
    return this;
  }

  /** Values emitted since the last call. */
  take(): OUT[] {
    return this.output.splice(0).map((e) => e.value);
  }

  sideValues(id: string): unknown[] {
    return (this.side.get(id) ?? []).map((e) => e.value);
  }
}
