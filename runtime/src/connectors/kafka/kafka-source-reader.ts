// The reader of one KafkaSource subtask. A background loop fetches its partitions (grouped by leader broker)
// into a bounded queue; pollNext emits from the queue without blocking. A partition's position (the split
// state) advances only as records are emitted, so a snapshot is exactly "everything before the barrier".
// Bad records go to the dead-letter topic before the position passes them (at least once there).
import { Admin, Consumer, FetchIsolationLevels, Producer } from '@platformatic/kafka';
import type { InputStatus, ReaderOutput, SourceReader, SourceReaderContext } from '../../api/source.ts';
import { type AbortedTransaction, committedRecords, type FetchedBatch } from './fetched-records.ts';
import { type KafkaPartitionSplit, splitId } from './kafka-partition-split.ts';
import type { KafkaConsumerRecord } from './kafka-record-deserializer.ts';
import type { ResolvedKafkaSourceOptions } from './kafka-source.ts';
import { partitionOwner } from './partition-owner.ts';
import { SplitWatermarks } from './split-watermarks.ts';
import { type PartitionOffsets, resolveStartOffset, type StartingOffsets } from './starting-offsets.ts';

type SplitState = {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  /** Next offset to fetch. */
  fetchOffset: number;
  /** Next offset to emit: the split state. */
  position: number;
  /** Bounded reads stop here (exclusive). */
  readonly stopAt: number | undefined;
};

type Item<T> =
  | { kind: 'record'; split: SplitState; offset: number; value: T; timestamp: number }
  | { kind: 'bad'; split: SplitState; offset: number; raw: unknown; cause: unknown }
  | { kind: 'advance'; split: SplitState; offset: number };

const MAX_CONSECUTIVE_FETCH_FAILURES = 50;

export class KafkaSourceReader<T> implements SourceReader<T> {
  readonly #o: ResolvedKafkaSourceOptions<T>;
  readonly #ctx: SourceReaderContext;
  readonly #restored: KafkaPartitionSplit[] | undefined;
  readonly #consumer: Consumer;
  #admin: Admin | undefined;
  #dlq: Producer | undefined;
  readonly #splits = new Map<string, SplitState>();
  /** Partitions this reader looked at already (owned or not), so discovery only adds new ones. */
  readonly #known = new Set<string>();
  readonly #queue: Item<T>[] = [];
  #head = 0;
  #closed = false;
  #error: unknown;
  #available: { promise: Promise<void>; resolve: () => void } | undefined;
  #room: (() => void) | undefined;
  #wakeFetcher: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #discovery: ReturnType<typeof setInterval> | undefined;
  readonly #watermarks: SplitWatermarks<T> | undefined;
  #nextWatermarkAt = 0;
  /** checkpoint id -> positions, committed to the group once the checkpoint completes. */
  readonly #pendingOffsets = new Map<number, KafkaPartitionSplit[]>();
  #refreshMetadata = true;
  #commitInFlight: Promise<void> = Promise.resolve();

  constructor(
    options: ResolvedKafkaSourceOptions<T>,
    ctx: SourceReaderContext,
    restored: KafkaPartitionSplit[] | undefined,
  ) {
    this.#o = options;
    this.#ctx = ctx;
    this.#restored = restored;
    this.#consumer = new Consumer({
      clientId: `${options.clientId}-${ctx.subtaskIndex}`,
      groupId: options.groupId ?? `riffle-unused-${options.clientId}`,
      bootstrapBrokers: options.bootstrapServers,
    });
    this.#watermarks =
      options.watermarkStrategy === undefined
        ? undefined
        : new SplitWatermarks(options.watermarkStrategy, () => ctx.clock.now());
  }

  get #where(): string {
    return `${this.#ctx.operatorName} (${this.#ctx.subtaskIndex + 1}/${this.#ctx.parallelism})`;
  }

  async start(): Promise<void> {
    try {
      await this.#start();
    } catch (e) {
      if (!this.#closed) throw e; // cancelled while starting: nothing to report
    }
  }

  async #start(): Promise<void> {
    const restored = this.#restored;
    for (const s of restored ?? []) {
      this.#addSplit(s.topic, s.partition, s.offset, s.stoppingOffset);
    }
    // On a restore, owned partitions the checkpoint does not have appeared since: read them from the start.
    await this.#discover(restored === undefined ? this.#o.startingOffsets : { kind: 'earliest' });
    if (this.#o.deadLetterTopic !== undefined) {
      this.#dlq = new Producer({
        clientId: `${this.#o.clientId}-dlq-${this.#ctx.subtaskIndex}`,
        bootstrapBrokers: this.#o.bootstrapServers,
        idempotent: true,
      });
    }
    if (this.#o.partitionDiscoveryIntervalMs > 0) {
      this.#discovery = setInterval(() => {
        this.#discover({ kind: 'earliest' }).catch((e) => this.#fail(e));
      }, this.#o.partitionDiscoveryIntervalMs);
      this.#discovery.unref?.();
    }
    this.#loop = this.#fetchLoop().catch((e) => this.#fail(e));
  }

  #addSplit(topic: string, partition: number, offset: number, stopAt: number | undefined): void {
    const id = splitId(topic, partition);
    this.#known.add(id);
    if (this.#splits.has(id)) return;
    this.#splits.set(id, { id, topic, partition, fetchOffset: offset, position: offset, stopAt });
    this.#watermarks?.addSplit(id);
    this.#wakeFetcher?.();
  }

  async #topics(): Promise<string[]> {
    if (this.#o.topics !== undefined) return [...this.#o.topics];
    this.#admin ??= new Admin({
      clientId: `${this.#o.clientId}-admin`,
      bootstrapBrokers: this.#o.bootstrapServers,
    });
    const all = await this.#admin.listTopics();
    return all.filter((t) => this.#o.topicPattern!.test(t)).sort();
  }

  /** Adds owned partitions not seen before, at offsets from `start`. */
  async #discover(start: StartingOffsets): Promise<void> {
    if (this.#closed) return;
    const topics = await this.#topics();
    if (topics.length === 0) return;
    const metadata = await this.#consumer.metadata({ topics, forceUpdate: true });
    const fresh: { topic: string; partition: number }[] = [];
    for (const topic of topics) {
      const t = metadata.topics.get(topic);
      if (t === undefined) continue;
      for (let p = 0; p < t.partitionsCount; p++) {
        const id = splitId(topic, p);
        if (this.#known.has(id)) continue;
        if (partitionOwner(topic, p, this.#ctx.parallelism) !== this.#ctx.subtaskIndex) {
          this.#known.add(id);
          continue;
        }
        fresh.push({ topic, partition: p });
      }
    }
    if (fresh.length === 0) {
      this.#resolveAvailable(); // a bounded reader with nothing to read ends
      return;
    }
    const offsets = await this.#partitionOffsets(fresh, start);
    for (const f of fresh) {
      const o = offsets.get(splitId(f.topic, f.partition))!;
      const from = resolveStartOffset(start, o, `${this.#where} ${f.topic}/${f.partition}`);
      this.#addSplit(f.topic, f.partition, from, this.#o.stoppingOffsets === 'latest' ? o.latest : undefined);
    }
    this.#resolveAvailable();
  }

  async #partitionOffsets(
    parts: { topic: string; partition: number }[],
    start: StartingOffsets,
  ): Promise<Map<string, PartitionOffsets>> {
    const byTopic = new Map<string, number[]>();
    for (const p of parts) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
    const topics = [...byTopic.keys()];
    const partitions = Object.fromEntries(byTopic);
    const isolationLevel = this.#isolationLevel;
    const [latest, earliest, atTs, committed] = await Promise.all([
      this.#consumer.listOffsets({ topics, partitions, isolationLevel }),
      this.#consumer.listOffsets({ topics, partitions, timestamp: -2n, isolationLevel }),
      start.kind === 'timestamp'
        ? this.#consumer.listOffsets({
            topics,
            partitions,
            timestamp: BigInt(start.timestamp),
            isolationLevel,
          })
        : undefined,
      start.kind === 'committed'
        ? this.#consumer.listCommittedOffsets({
            topics: [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps })),
          })
        : undefined,
    ]);
    const out = new Map<string, PartitionOffsets>();
    for (const { topic, partition } of parts) {
      const at = (m: Map<string, bigint[]> | undefined) => {
        const v = m?.get(topic)?.[partition];
        return v === undefined ? undefined : Number(v);
      };
      const o: PartitionOffsets = {
        earliest: at(earliest) ?? 0,
        latest: at(latest) ?? 0,
        ...(atTs === undefined ? {} : { atTimestamp: at(atTs) ?? -1 }),
        ...(committed === undefined ? {} : { committed: at(committed) ?? -1 }),
      };
      out.set(splitId(topic, partition), o);
    }
    return out;
  }

  get #isolationLevel(): number {
    return this.#o.isolationLevel === 'read_committed'
      ? FetchIsolationLevels.READ_COMMITTED
      : FetchIsolationLevels.READ_UNCOMMITTED;
  }

  get #queued(): number {
    return this.#queue.length - this.#head;
  }

  async #fetchLoop(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      if (this.#queued >= this.#o.maxBufferedRecords) {
        await new Promise<void>((resolve) => {
          this.#room = resolve;
        });
        continue;
      }
      const active = [...this.#splits.values()].filter(
        (s) => s.stopAt === undefined || s.fetchOffset < s.stopAt,
      );
      if (active.length === 0) {
        this.#resolveAvailable();
        await new Promise<void>((resolve) => {
          this.#wakeFetcher = resolve;
        });
        this.#wakeFetcher = undefined;
        continue;
      }
      try {
        await this.#fetchOnce(active);
        failures = 0;
      } catch (e) {
        if (this.#closed) return;
        failures++;
        this.#refreshMetadata = true;
        if (failures >= MAX_CONSECUTIVE_FETCH_FAILURES) {
          throw new Error(
            `${this.#where}: fetching from Kafka failed ${failures} times in a row: ${(e as Error).message}`,
            {
              cause: e,
            },
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(100 * failures, 2000)));
      }
    }
  }

  async #fetchOnce(active: SplitState[]): Promise<void> {
    const topics = [...new Set(active.map((s) => s.topic))];
    const metadata = await this.#consumer.metadata({ topics, forceUpdate: this.#refreshMetadata });
    this.#refreshMetadata = false;
    // leader -> topic id -> partitions
    const byNode = new Map<number, Map<string, SplitState[]>>();
    const topicOfId = new Map<string, string>();
    for (const s of active) {
      const t = metadata.topics.get(s.topic);
      const leader = t?.partitions[s.partition]?.leader;
      if (t === undefined || leader === undefined || leader < 0) {
        this.#refreshMetadata = true;
        continue;
      }
      topicOfId.set(t.id, s.topic);
      const node = byNode.get(leader) ?? new Map<string, SplitState[]>();
      byNode.set(leader, node);
      node.set(t.id, [...(node.get(t.id) ?? []), s]);
    }
    if (byNode.size === 0) {
      await new Promise((r) => setTimeout(r, 200)); // topics without leaders yet: wait for metadata
      return;
    }
    await Promise.all(
      [...byNode].map(async ([node, topicsOfNode]) => {
        const response = await this.#consumer.fetch({
          node,
          topics: [...topicsOfNode].map(([topicId, splits]) => ({
            topicId,
            partitions: splits.map((s) => ({
              partition: s.partition,
              fetchOffset: BigInt(s.fetchOffset),
              partitionMaxBytes: 1 << 20,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
            })),
          })),
          maxWaitTime: this.#o.fetchMaxWaitMs,
          minBytes: 1,
          maxBytes: 16 << 20,
          isolationLevel: this.#isolationLevel,
        });
        for (const t of response.responses) {
          const topic = topicOfId.get(t.topicId);
          for (const p of t.partitions) {
            const split =
              topic === undefined ? undefined : this.#splits.get(splitId(topic, p.partitionIndex));
            if (split === undefined) continue;
            await this.#enqueue(
              split,
              (p.records ?? []) as unknown as FetchedBatch[],
              p.abortedTransactions as AbortedTransaction[] | null,
            );
          }
        }
      }),
    );
  }

  async #enqueue(
    split: SplitState,
    batches: FetchedBatch[],
    aborted: AbortedTransaction[] | null,
  ): Promise<void> {
    const { records, nextOffset } = committedRecords(batches, aborted, split.fetchOffset);
    for (const r of records) {
      if (split.stopAt !== undefined && r.offset >= split.stopAt) break;
      const record: KafkaConsumerRecord = { topic: split.topic, partition: split.partition, ...r };
      let value: T;
      try {
        value = this.#o.deserializer.deserialize(record);
      } catch (cause) {
        await this.#badRecord(split, record, cause);
        continue;
      }
      this.#queue.push({ kind: 'record', split, offset: r.offset, value, timestamp: r.timestamp });
    }
    const next = split.stopAt === undefined ? nextOffset : Math.min(nextOffset, split.stopAt);
    if (next > split.fetchOffset) {
      split.fetchOffset = next;
      this.#queue.push({ kind: 'advance', split, offset: next });
    }
    this.#resolveAvailable();
  }

  async #badRecord(split: SplitState, record: KafkaConsumerRecord, cause: unknown): Promise<void> {
    const where = `${record.topic}/${record.partition}@${record.offset}`;
    if (this.#dlq === undefined) {
      this.#queue.push({ kind: 'bad', split, offset: record.offset, raw: rawRecord(record), cause });
      return;
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    // The position passes the record only after the dead-letter topic has it (queued 'advance' below).
    await this.#dlq.send({
      messages: [
        {
          topic: this.#o.deadLetterTopic!,
          ...(record.key === null ? {} : { key: record.key }),
          value: record.value ?? Buffer.alloc(0),
          headers: new Map([
            [Buffer.from('riffle.source.topic'), Buffer.from(record.topic)],
            [Buffer.from('riffle.source.partition'), Buffer.from(String(record.partition))],
            [Buffer.from('riffle.source.offset'), Buffer.from(String(record.offset))],
            [Buffer.from('riffle.source.timestamp'), Buffer.from(String(record.timestamp))],
            [Buffer.from('riffle.error'), Buffer.from(message)],
            [Buffer.from('riffle.operator'), Buffer.from(this.#ctx.operatorName)],
          ]),
        },
      ],
    });
    this.#queue.push({ kind: 'advance', split, offset: record.offset + 1 });
    console.warn(
      `${this.#where}: record ${where} could not be read (${message}); sent to ${this.#o.deadLetterTopic}`,
    );
  }

  pollNext(output: ReaderOutput<T>, budget: number): InputStatus {
    if (this.#error !== undefined) throw this.#error;
    const wm = this.#watermarks;
    let emitted = 0;
    while (emitted < budget && this.#head < this.#queue.length) {
      const item = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as never;
      if (item.kind === 'record') {
        const ts = wm === undefined ? item.timestamp : wm.onEvent(item.split.id, item.value, item.timestamp);
        item.split.position = item.offset + 1;
        output.collect(item.value, ts);
        emitted++;
      } else if (item.kind === 'bad') {
        item.split.position = item.offset + 1;
        output.deadLetter(item.raw, `${item.split.topic}/${item.split.partition}@${item.offset}`, item.cause);
      } else if (item.offset > item.split.position) {
        item.split.position = item.offset;
      }
    }
    if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    if (this.#room !== undefined && this.#queued < this.#o.maxBufferedRecords / 2) {
      const room = this.#room;
      this.#room = undefined;
      room();
    }
    if (wm !== undefined && output.emitWatermark !== undefined) {
      const now = this.#ctx.clock.now();
      if (now >= this.#nextWatermarkAt) {
        this.#nextWatermarkAt = now + this.#o.autoWatermarkIntervalMs;
        wm.emitPeriodic({
          emitWatermark: (w) => output.emitWatermark!(w),
          emitWatermarkStatus: (idle) => output.emitWatermarkStatus?.(idle),
        });
      }
    }
    if (this.#head < this.#queue.length) return 'more-available';
    if (this.#isFinished()) return 'end-of-input';
    this.#available = undefined;
    return 'nothing-available';
  }

  #isFinished(): boolean {
    if (this.#o.stoppingOffsets === undefined || this.#loop === undefined) return false;
    for (const s of this.#splits.values()) if (s.position < s.stopAt!) return false;
    return true;
  }

  isAvailable(): Promise<void> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#head < this.#queue.length || this.#isFinished()) return Promise.resolve();
    if (this.#available === undefined) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.#available = { promise, resolve };
      // per-partition watermarks and idleness advance with time, not only with records
      if (this.#watermarks !== undefined) {
        const timer = setTimeout(() => this.#resolveAvailable(), this.#o.autoWatermarkIntervalMs);
        timer.unref?.();
      }
    }
    return this.#available.promise;
  }

  #resolveAvailable(): void {
    const a = this.#available;
    this.#available = undefined;
    a?.resolve();
  }

  #fail(e: unknown): void {
    if (this.#closed) return;
    this.#error ??= e;
    this.#resolveAvailable();
  }

  snapshotState(checkpointId: number): unknown[] {
    const splits: KafkaPartitionSplit[] = [...this.#splits.values()].map((s) => ({
      topic: s.topic,
      partition: s.partition,
      offset: s.position,
      ...(s.stopAt === undefined ? {} : { stoppingOffset: s.stopAt }),
    }));
    if (this.#o.commitOffsetsOnCheckpoint) this.#pendingOffsets.set(checkpointId, splits);
    return splits;
  }

  notifyCheckpointComplete(checkpointId: number): Promise<void> {
    // close() waits for a commit in flight: closing the admin client under it crashed the worker
    const commit = this.#commitInFlight.then(() => this.#commitOffsets(checkpointId));
    this.#commitInFlight = commit;
    return commit;
  }

  async #commitOffsets(checkpointId: number): Promise<void> {
    if (this.#closed) return;
    const splits = this.#pendingOffsets.get(checkpointId);
    for (const id of this.#pendingOffsets.keys()) if (id <= checkpointId) this.#pendingOffsets.delete(id);
    if (splits === undefined || splits.length === 0 || this.#o.groupId === undefined) return;
    const byTopic = new Map<string, { partition: number; offset: bigint }[]>();
    for (const s of splits)
      byTopic.set(s.topic, [
        ...(byTopic.get(s.topic) ?? []),
        { partition: s.partition, offset: BigInt(s.offset) },
      ]);
    this.#admin ??= new Admin({
      clientId: `${this.#o.clientId}-admin`,
      bootstrapBrokers: this.#o.bootstrapServers,
    });
    try {
      await this.#admin.alterConsumerGroupOffsets({
        groupId: this.#o.groupId,
        topics: [...byTopic].map(([name, partitionOffsets]) => ({ name, partitionOffsets })),
      });
    } catch (e) {
      // Committed offsets are for monitoring and committed-offset starts; the checkpoint is the truth.
      console.warn(
        `${this.#where}: committing offsets of checkpoint ${checkpointId} failed: ${(e as Error).message}`,
      );
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#discovery !== undefined) clearInterval(this.#discovery);
    this.#room?.();
    this.#wakeFetcher?.();
    await this.#loop;
    await this.#commitInFlight;
    await Promise.allSettled([this.#consumer.close(true), this.#admin?.close(), this.#dlq?.close()]);
  }
}

function rawRecord(r: KafkaConsumerRecord): unknown {
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key === null ? null : r.key.toString('utf8'),
    value: r.value === null ? null : r.value.toString('utf8'),
  };
}
