// One parallel subtask of a job vertex: its chain of operators, its input channels and record writers.
// Source tasks poll a SourceReader; other tasks process buffers from their input channels. A task never
// blocks: the executor calls it when it has input and room for output.
import { DEAD_LETTER } from '../api/dead-letter.ts';
import type { ReaderOutput, SourceReader } from '../api/source.ts';
import { BarrierAligner, type CheckpointingMode } from '../checkpoint/barrier-aligner.ts';
import {
  encodeOperatorSnapshot,
  type OperatorSubtaskState,
  type TaskSnapshot,
} from '../checkpoint/task-snapshot.ts';
import type { JobVertex } from '../graph/job-graph.ts';
import type { StreamNode } from '../graph/stream-graph.ts';
import type { OperatorMetrics } from '../operators/operator-metrics.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import type { KeyValue } from '../state/key-hash.ts';
import { normalizeKey } from '../state/key-normalizer.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import { MAX_WATERMARK, NO_TIMESTAMP } from '../time/watermark.ts';
import type { Buffer } from './buffer.ts';
import type { InputChannel } from './channel.ts';
import type { NodeOutput } from './node-output.ts';
import { errorInfo, RecordProcessingError } from './record-processing-error.ts';
import type { RecordWriter } from './record-writer.ts';
import { StatusWatermarkValve } from './status-watermark-valve.ts';

export type TaskState = 'created' | 'deploying' | 'running' | 'finished' | 'failed' | 'canceled';

export type ChainMember = {
  readonly node: StreamNode;
  readonly operator: StreamOperator<unknown, unknown> | undefined;
  readonly output: NodeOutput;
  readonly metrics: OperatorMetrics;
};

export class StreamTask {
  readonly vertex: JobVertex;
  readonly subtaskIndex: number;
  readonly chain: ChainMember[];
  readonly inputs: InputChannel[];
  readonly writers: RecordWriter[];
  readonly backend: KeyedStateBackend | undefined;
  state: TaskState = 'created';
  reader: SourceReader<unknown> | undefined;
  /** Set while a source waits for isAvailable(). */
  waitingForInput = false;
  readonly #valve: StatusWatermarkValve;
  readonly #head: StreamOperator<unknown, unknown> | undefined;
  readonly #headMetrics: OperatorMetrics;
  readonly #keySelector: ((v: unknown) => unknown) | undefined;
  #ended = 0;
  #nextChannel = 0;
  #inputEnded = false;
  readonly #readerOutput: ReaderOutput<unknown>;
  readonly #aligner: BarrierAligner;
  /** Called when this task took its snapshot for a checkpoint (the promise completes the async part). */
  onCheckpoint:
    | ((task: StreamTask, checkpointId: number, snapshot: Promise<TaskSnapshot>) => void)
    | undefined;

  constructor(options: {
    vertex: JobVertex;
    subtaskIndex: number;
    chain: ChainMember[];
    inputs: InputChannel[];
    writers: RecordWriter[];
    backend: KeyedStateBackend | undefined;
    checkpointingMode?: CheckpointingMode;
  }) {
    this.vertex = options.vertex;
    this.subtaskIndex = options.subtaskIndex;
    this.chain = options.chain;
    this.inputs = options.inputs;
    this.writers = options.writers;
    this.backend = options.backend;
    this.#valve = new StatusWatermarkValve(options.inputs.length);
    this.#aligner = new BarrierAligner(options.inputs.length, options.checkpointingMode ?? 'exactly-once');
    this.#head = options.chain[0]!.operator;
    this.#headMetrics = options.chain[0]!.metrics;
    this.#keySelector = options.vertex.head.stateKeySelector;
    const sourceOutput = options.chain[0]!.output;
    const sourceNode = options.chain[0]!.node;
    this.#readerOutput = {
      collect: (value, timestamp) => sourceOutput.collect(value, timestamp ?? NO_TIMESTAMP),
      deadLetter: (record, where, cause) => {
        this.#headMetrics.numRecordsFailed++;
        if (sourceNode.recordErrors === 'dead-letter') {
          sourceOutput.collectSide(
            DEAD_LETTER,
            {
              operator: `${sourceNode.name} (${where})`,
              record,
              timestamp: NO_TIMESTAMP,
              error: errorInfo(cause),
            },
            NO_TIMESTAMP,
          );
          return;
        }
        throw new RecordProcessingError(`${sourceNode.name} (${where})`, record, cause);
      },
      emitWatermark: (watermark) => sourceOutput.emitWatermark(watermark),
      emitWatermarkStatus: (idle) => sourceOutput.emitWatermarkStatus(idle),
    };
  }

  get isSource(): boolean {
    return this.vertex.head.kind === 'source';
  }

  get name(): string {
    return `${this.vertex.name} (${this.subtaskIndex + 1}/${this.vertex.parallelism})`;
  }

  /** Whether every downstream channel has room, so producing more will not overfill memory. */
  hasOutputCapacity(): boolean {
    let capacity = true;
    for (const w of this.writers) if (!w.hasCapacity()) capacity = false;
    // Flink's backPressuredTime: how long the task could not go on because an output was full.
    if (!capacity && this.#backpressuredSince === 0) this.#backpressuredSince = performance.now();
    else if (capacity && this.#backpressuredSince > 0) {
      this.#backpressuredMs += performance.now() - this.#backpressuredSince;
      this.#backpressuredSince = 0;
    }
    return capacity;
  }

  #backpressuredSince = 0;
  #backpressuredMs = 0;

  /** Total time the task was blocked by full outputs, the current stretch included. */
  get backpressuredMs(): number {
    const ongoing = this.#backpressuredSince > 0 ? performance.now() - this.#backpressuredSince : 0;
    return Math.round(this.#backpressuredMs + ongoing);
  }

  hasInput(): boolean {
    for (const c of this.inputs) if (c.size > 0) return true;
    return false;
  }

  /** Processes up to `maxBuffers` buffers from the input channels, round-robin. Returns how many. */
  processInput(maxBuffers: number): number {
    let done = 0;
    const n = this.inputs.length;
    let idleScan = 0;
    while (done < maxBuffers && idleScan < n && !this.#inputEnded) {
      const ch = this.#nextChannel;
      this.#nextChannel = ch + 1 === n ? 0 : ch + 1;
      const buffer = this.#aligner.isBlocked(ch) ? undefined : this.inputs[ch]!.poll();
      if (buffer === undefined) {
        idleScan++;
        continue;
      }
      idleScan = 0;
      this.#processBuffer(ch, buffer);
      done++;
      if (!this.hasOutputCapacity()) break;
    }
    return done;
  }

  #processBuffer(channel: number, buffer: Buffer): void {
    const head = this.#head!;
    switch (buffer.kind) {
      case 'records': {
        const { values, timestamps, keys } = buffer;
        const n = values.length;
        this.#headMetrics.numRecordsIn += n;
        const backend = this.backend;
        if (backend === undefined) {
          for (let i = 0; i < n; i++) head.processElement(values[i], timestamps[i]!);
        } else if (keys !== undefined) {
          for (let i = 0; i < n; i++) {
            backend.currentKey = keys[i]!;
            head.processElement(values[i], timestamps[i]!);
          }
        } else {
          const select = this.#keySelector!;
          for (let i = 0; i < n; i++) {
            backend.currentKey = normalizeKey(select(values[i]) as KeyValue);
            head.processElement(values[i], timestamps[i]!);
          }
        }
        return;
      }
      case 'watermark': {
        const out = this.#valve.inputWatermark(channel, buffer.watermark);
        if (out.idle === false) head.processWatermarkStatus(false);
        if (out.watermark !== undefined) head.processWatermark(out.watermark);
        return;
      }
      case 'status': {
        const out = this.#valve.inputStatus(channel, buffer.idle);
        if (out.watermark !== undefined) head.processWatermark(out.watermark);
        if (out.idle !== undefined) head.processWatermarkStatus(out.idle);
        return;
      }
      case 'end': {
        const out = this.#valve.inputEnded(channel);
        if (out.watermark !== undefined) head.processWatermark(out.watermark);
        this.#ended++;
        const aligned = this.#aligner.onEnd(channel);
        if (aligned.snapshot !== undefined) this.#performCheckpoint(aligned.snapshot, Date.now());
        if (this.#ended === this.inputs.length) this.#inputEnded = true;
        return;
      }
      case 'barrier': {
        const aligned = this.#aligner.onBarrier(channel, buffer.checkpointId);
        if (aligned.snapshot !== undefined) this.#performCheckpoint(aligned.snapshot, buffer.timestamp);
        return;
      }
    }
  }

  /** Sources: takes a snapshot for a checkpoint the coordinator triggered and sends the barrier on. */
  triggerCheckpoint(checkpointId: number, timestamp: number): void {
    if (!this.isSource)
      throw new Error(`task ${this.name} is not a source; barriers reach it through its inputs`);
    this.#performCheckpoint(checkpointId, timestamp);
  }

  /**
   * Takes the snapshot synchronously (state is encoded now, so processing can go on), forwards the barrier
   * after the records that precede it, then completes asynchronous parts (sink commits) before reporting.
   */
  #performCheckpoint(checkpointId: number, timestamp: number): void {
    const parts: (OperatorSubtaskState | Promise<OperatorSubtaskState>)[] = [];
    const p = this.vertex.parallelism;
    const m = this.vertex.maxParallelism;
    if (this.reader !== undefined) {
      const node = this.chain[0]!.node;
      parts.push(
        encodeOperatorSnapshot(
          { uid: node.uid, operatorState: this.reader.snapshotState(checkpointId) },
          this.subtaskIndex,
          p,
          m,
        ),
      );
    }
    for (const member of this.chain) {
      const op = member.operator;
      if (op === undefined) continue;
      const snap = op.snapshotState(checkpointId);
      parts.push(
        snap instanceof Promise
          ? snap.then((s) => encodeOperatorSnapshot(s, this.subtaskIndex, p, m))
          : encodeOperatorSnapshot(snap, this.subtaskIndex, p, m),
      );
    }
    for (const w of this.writers) w.broadcastEvent({ kind: 'barrier', checkpointId, timestamp });
    const snapshot = Promise.all(parts).then((operators) => ({
      vertexId: this.vertex.id,
      subtask: this.subtaskIndex,
      operators: operators.filter(
        (o) => o.operatorState !== undefined || Object.keys(o.keyGroups).length > 0,
      ),
    }));
    snapshot.catch(() => {});
    this.onCheckpoint?.(this, checkpointId, snapshot);
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    this.backend?.notifyCheckpointComplete(checkpointId);
    for (const member of this.chain) await member.operator?.notifyCheckpointComplete(checkpointId);
    await this.reader?.notifyCheckpointComplete?.(checkpointId);
  }

  /** True once every input channel ended (or the source reached end of input). */
  get inputEnded(): boolean {
    return this.#inputEnded;
  }

  /** Source tasks: polls the reader. */
  pollSource(budget: number): 'more-available' | 'nothing-available' | 'end-of-input' {
    const status = this.reader!.pollNext(this.#readerOutput, budget);
    if (status === 'end-of-input') {
      this.chain[0]!.output.emitWatermark(MAX_WATERMARK);
      this.#inputEnded = true;
    }
    return status;
  }

  /** Ends the chain after the input ended: every operator emits what it holds, then downstream sees end. */
  async finishChain(): Promise<void> {
    for (const member of this.chain) {
      if (member.operator === undefined) continue;
      member.operator.endInput();
      await member.operator.finish?.();
    }
    for (const w of this.writers) w.broadcastEvent({ kind: 'end' });
  }

  flushOutputs(): boolean {
    let any = false;
    for (const w of this.writers) if (w.flush()) any = true;
    return any;
  }
}
