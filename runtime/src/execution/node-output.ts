// The Output of one operator inside a task: to chained operators (direct calls) and to record writers of
// outgoing edges, with side outputs routed by tag. Records sent to a side output nobody reads are dropped,
// as in Flink; the graph builder refuses that for dead letters, which must never vanish.
import type { OutputTag } from '../api/output-tag.ts';
import type { OperatorMetrics } from '../operators/operator-metrics.ts';
import type { Output } from '../operators/output.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import type { RecordWriter } from './record-writer.ts';

export interface OutputTarget {
  collect(value: unknown, timestamp: number): void;
  emitWatermark(watermark: number): void;
  emitWatermarkStatus(idle: boolean): void;
}

export class ChainedOperatorTarget implements OutputTarget {
  readonly #op: StreamOperator<unknown, unknown>;
  readonly #metrics: OperatorMetrics;

  constructor(op: StreamOperator<unknown, unknown>, metrics: OperatorMetrics) {
    this.#op = op;
    this.#metrics = metrics;
  }

  collect(value: unknown, timestamp: number): void {
    this.#metrics.numRecordsIn++;
    this.#op.processElement(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.#op.processWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    this.#op.processWatermarkStatus(idle);
  }
}

export class RecordWriterTarget implements OutputTarget {
  readonly #writer: RecordWriter;

  constructor(writer: RecordWriter) {
    this.#writer = writer;
  }

  collect(value: unknown, timestamp: number): void {
    this.#writer.emit(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.#writer.broadcastEvent({ kind: 'watermark', watermark });
  }

  emitWatermarkStatus(idle: boolean): void {
    this.#writer.broadcastEvent({ kind: 'status', idle });
  }
}

export class NodeOutput implements Output<unknown> {
  readonly #main: OutputTarget[];
  readonly #single: OutputTarget | undefined;
  readonly #sides: Map<string, OutputTarget[]>;
  readonly #all: OutputTarget[];
  readonly #metrics: OperatorMetrics;

  constructor(main: OutputTarget[], sides: Map<string, OutputTarget[]>, metrics: OperatorMetrics) {
    this.#main = main;
    this.#single = main.length === 1 ? main[0] : undefined;
    this.#sides = sides;
    this.#all = [...main, ...[...sides.values()].flat()];
    this.#metrics = metrics;
  }

  collect(value: unknown, timestamp: number): void {
    this.#metrics.numRecordsOut++;
    if (this.#single !== undefined) {
      this.#single.collect(value, timestamp);
      return;
    }
    for (let i = 0; i < this.#main.length; i++) this.#main[i]!.collect(value, timestamp);
  }

  collectSide<X>(tag: OutputTag<X>, value: X, timestamp: number): void {
    const targets = this.#sides.get(tag.id);
    if (targets === undefined) return;
    for (const t of targets) t.collect(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    this.#metrics.currentOutputWatermark = watermark;
    for (const t of this.#all) t.emitWatermark(watermark);
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const t of this.#all) t.emitWatermarkStatus(idle);
  }

  endOfInput(): void {}
}
