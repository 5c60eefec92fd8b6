// Routes a producer's records to the channels of one outgoing edge, in batches. Events are broadcast to
// every channel after the pending records, so they keep their place in the stream.

import type { Partitioner } from '../graph/partitioner.ts';
import { assignToKeyGroup } from '../state/key-group-range.ts';
import type { KeyValue } from '../state/key-hash.ts';
import { type NormalizedKey, normalizeKey } from '../state/key-normalizer.ts';
import type { ChannelEvent, RecordBatch } from './buffer.ts';
import type { OutputChannel } from './channel.ts';
import { RecordProcessingError } from './record-processing-error.ts';

type Pending = { values: unknown[]; timestamps: number[]; keys: NormalizedKey[] | undefined };

export class RecordWriter {
  readonly #channels: OutputChannel[];
  readonly #partitioner: Partitioner;
  readonly #maxParallelism: number;
  readonly #batchSize: number;
  readonly #pending: Pending[];
  readonly #describe: string;
  #next: number;
  bytesOut = 0;
  recordsOut = 0;

  constructor(options: {
    channels: OutputChannel[];
    partitioner: Partitioner;
    maxParallelism: number;
    batchSize: number;
    subtaskIndex: number;
    describe: string;
  }) {
    this.#channels = options.channels;
    this.#partitioner = options.partitioner;
    this.#maxParallelism = options.maxParallelism;
    this.#batchSize = options.batchSize;
    this.#describe = options.describe;
    this.#next = options.subtaskIndex % Math.max(1, options.channels.length);
    const hashed = options.partitioner.kind === 'hash';
    this.#pending = options.channels.map(() => ({
      values: [],
      timestamps: [],
      keys: hashed ? [] : undefined,
    }));
  }

  emit(value: unknown, timestamp: number): void {
    this.recordsOut++;
    const p = this.#partitioner;
    switch (p.kind) {
      case 'forward':
      case 'global':
        this.#append(0, value, timestamp, undefined);
        return;
      case 'rebalance': {
        const ch = this.#next;
        this.#next = ch + 1 === this.#channels.length ? 0 : ch + 1;
        this.#append(ch, value, timestamp, undefined);
        return;
      }
      case 'broadcast':
        for (let ch = 0; ch < this.#channels.length; ch++) this.#append(ch, value, timestamp, undefined);
        return;
      case 'hash': {
        let key: KeyValue;
        let ch: number;
        try {
          key = p.keySelector(value) as KeyValue;
          const kg = assignToKeyGroup(key, this.#maxParallelism);
          ch = Math.floor((kg * this.#channels.length) / this.#maxParallelism);
        } catch (e) {
          throw new RecordProcessingError(
            this.#describe,
            value,
            e,
            'the key selector must not throw: check the record before keyBy (e.g. filter or a map with onRecordError)',
          );
        }
        this.#append(ch, value, timestamp, normalizeKey(key));
        return;
      }
    }
  }

  #append(ch: number, value: unknown, timestamp: number, key: NormalizedKey | undefined): void {
    const pending = this.#pending[ch]!;
    pending.values.push(value);
    pending.timestamps.push(timestamp);
    if (pending.keys !== undefined) pending.keys.push(key!);
    if (pending.values.length >= this.#batchSize) this.#flushChannel(ch);
  }

  #flushChannel(ch: number): void {
    const pending = this.#pending[ch]!;
    if (pending.values.length === 0) return;
    const batch: RecordBatch = {
      kind: 'records',
      values: pending.values,
      timestamps: pending.timestamps,
      keys: pending.keys,
    };
    this.#channels[ch]!.push(batch);
    pending.values = [];
    pending.timestamps = [];
    if (pending.keys !== undefined) pending.keys = [];
  }

  /** Sends partially filled batches (called when the task goes idle, and before events). */
  flush(): boolean {
    let any = false;
    for (let ch = 0; ch < this.#pending.length; ch++) {
      if (this.#pending[ch]!.values.length > 0) {
        this.#flushChannel(ch);
        any = true;
      }
    }
    return any;
  }

  broadcastEvent(event: ChannelEvent): void {
    this.flush();
    for (const c of this.#channels) c.push(event);
  }

  hasCapacity(): boolean {
    for (const c of this.#channels) if (!c.hasCapacity()) return false;
    return true;
  }
}
