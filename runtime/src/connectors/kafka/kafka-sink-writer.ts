// The writer of one KafkaSink subtask. Records are batched (batchSize / lingerMs) and sent in order through
// one send chain; flush waits for the chain. Exactly-once keeps one producer per transaction, because a
// transaction sealed at a barrier stays open until its checkpoint completes while the next one already runs.
import { Producer } from '@platformatic/kafka';

type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>;

import type { SinkContext, SinkWriter } from '../../api/sink.ts';
import type { KafkaProducerRecord } from './kafka-record-serializer.ts';
import type { ResolvedKafkaSinkOptions } from './kafka-sink.ts';
import { type KafkaTransactionCommittable, KafkaTransactions } from './kafka-transactions.ts';
import { shouldAbortLingering, transactionalId } from './transactional-id.ts';

type OpenTransaction = {
  readonly id: string;
  readonly producer: Producer;
  readonly transaction: Promise<Transaction>;
  sent: boolean;
};

export class KafkaSinkWriter<T> implements SinkWriter<T> {
  readonly #o: ResolvedKafkaSinkOptions<T>;
  readonly #ctx: SinkContext;
  #producer: Producer | undefined;
  #batch: KafkaProducerRecord[] = [];
  #chain: Promise<void> = Promise.resolve();
  #error: unknown;
  #linger: ReturnType<typeof setTimeout> | undefined;
  #transactions: KafkaTransactions | undefined;
  #current: OpenTransaction | undefined;
  /** Sealed transactions waiting for their checkpoint, by transactional id. */
  readonly #prepared = new Map<string, OpenTransaction>();
  #lastBarrier: number;

  constructor(options: ResolvedKafkaSinkOptions<T>, ctx: SinkContext) {
    this.#o = options;
    this.#ctx = ctx;
    this.#lastBarrier = ctx.restoredCheckpointId ?? 0;
  }

  get #exactlyOnce(): boolean {
    return this.#o.deliveryGuarantee === 'exactly-once';
  }

  async start(): Promise<void> {
    if (!this.#exactlyOnce) {
      this.#producer = new Producer({
        clientId: `${this.#o.clientId}-${this.#ctx.subtaskIndex}`,
        bootstrapBrokers: this.#o.bootstrapServers,
        idempotent: this.#o.deliveryGuarantee === 'at-least-once',
      });
      return;
    }
    this.#transactions = new KafkaTransactions(
      this.#o.bootstrapServers,
      `${this.#o.clientId}-${this.#ctx.subtaskIndex}`,
    );
    const prefix = this.#o.transactionalIdPrefix!;
    for (const id of await this.#transactions.ongoing()) {
      if (
        shouldAbortLingering(
          prefix,
          id,
          this.#ctx.subtaskIndex,
          this.#ctx.parallelism,
          this.#ctx.restoredCheckpointId,
        )
      ) {
        await this.#transactions.abort(id);
      }
    }
  }

  #openTransaction(): OpenTransaction {
    const id = transactionalId(this.#o.transactionalIdPrefix!, this.#ctx.subtaskIndex, this.#lastBarrier + 1);
    const producer = new Producer({
      clientId: `${this.#o.clientId}-${this.#ctx.subtaskIndex}`,
      bootstrapBrokers: this.#o.bootstrapServers,
      idempotent: true,
      transactionalId: id,
      // -1/-1: a new producer for this id (fencing any earlier one); the client otherwise sends 0/0, which
      // the broker refuses with PRODUCER_FENCED once the id has history
      producerId: -1n,
      producerEpoch: -1,
      // the client sends this as the transaction timeout (and the produce request timeout)
      timeout: this.#o.transactionTimeoutMs,
    });
    const transaction = producer.beginTransaction();
    transaction.catch(() => {});
    return { id, producer, transaction, sent: false };
  }

  write(value: T, timestamp: number): void {
    if (this.#error !== undefined) throw this.#error;
    this.#batch.push(this.#o.serializer.serialize(value, timestamp));
    if (this.#batch.length >= this.#o.batchSize) this.#sendBatch();
    else this.#linger ??= setTimeout(() => this.#sendBatch(), this.#o.lingerMs);
  }

  #sendBatch(): void {
    if (this.#linger !== undefined) clearTimeout(this.#linger);
    this.#linger = undefined;
    if (this.#batch.length === 0) return;
    const messages = this.#batch;
    this.#batch = [];
    let target: OpenTransaction | undefined;
    if (this.#exactlyOnce) {
      this.#current ??= this.#openTransaction();
      target = this.#current;
      target.sent = true;
    }
    this.#chain = this.#chain.then(async () => {
      if (this.#error !== undefined) return;
      try {
        if (target !== undefined) await (await target.transaction).send({ messages: messages as never });
        else await this.#producer!.send({ messages: messages as never });
      } catch (e) {
        this.#error ??= e;
      }
    });
  }

  async flush(endOfInput: boolean): Promise<void> {
    this.#sendBatch();
    await this.#chain;
    if (this.#error !== undefined) throw this.#error;
    // The input ended: no checkpoint will seal the open transaction any more, so it is committed now
    // (as the two-phase file sink commits its last part).
    if (endOfInput && this.#exactlyOnce) await this.commit(await this.prepareCommit(this.#lastBarrier + 1));
  }

  async prepareCommit(checkpointId: number): Promise<KafkaTransactionCommittable | null> {
    if (!this.#exactlyOnce) {
      if (this.#o.deliveryGuarantee === 'at-least-once') await this.flush(false);
      return null;
    }
    // Records buffered before the barrier belong to this checkpoint's transaction: send them into it first
    // (opening it if they are its first, numbered after the previous barrier: at most checkpointId), then
    // detach it so records after the barrier go to the next one, numbered after this barrier.
    this.#sendBatch();
    const sealed = this.#current;
    this.#current = undefined;
    this.#lastBarrier = Math.max(this.#lastBarrier, checkpointId);
    await this.#chain;
    if (this.#error !== undefined) throw this.#error;
    if (sealed === undefined) return null;
    if (!sealed.sent) {
      await this.#dispose(sealed, false);
      return null;
    }
    this.#prepared.set(sealed.id, sealed);
    return {
      transactionalId: sealed.id,
      producerId: String(sealed.producer.producerId),
      producerEpoch: sealed.producer.producerEpoch!,
    };
  }

  async commit(committable: unknown): Promise<void> {
    if (committable === null || committable === undefined) return;
    const c = committable as KafkaTransactionCommittable;
    const open = this.#prepared.get(c.transactionalId);
    if (open !== undefined) {
      this.#prepared.delete(c.transactionalId);
      await (await open.transaction).commit();
      await open.producer.close();
      return;
    }
    // prepared by an earlier attempt (restored from a checkpoint), or committed already
    this.#transactions ??= new KafkaTransactions(
      this.#o.bootstrapServers,
      `${this.#o.clientId}-${this.#ctx.subtaskIndex}`,
    );
    const result = await this.#transactions.commitRecovered(c);
    if (result === 'already-completed') {
      console.warn(
        `KafkaSink ${this.#ctx.operatorName}: transaction ${c.transactionalId} was already completed when recommitted ` +
          '(committed before, or aborted after its timeout: then its records are lost; raise transactionTimeoutMs)',
      );
    }
  }

  async #dispose(t: OpenTransaction, abort: boolean): Promise<void> {
    try {
      const tx = await t.transaction;
      if (abort && t.sent) await tx.abort();
      else await tx.cancel();
    } catch {
      // closing anyway; a transaction left open is aborted by the next attempt or its timeout
    }
    await t.producer.close().catch(() => {});
  }

  async close(): Promise<void> {
    if (this.#linger !== undefined) clearTimeout(this.#linger);
    await this.#chain.catch(() => {});
    if (this.#current !== undefined) await this.#dispose(this.#current, true);
    // Prepared transactions stay open: their checkpoint may complete and a restore then commits them.
    for (const t of this.#prepared.values()) await t.producer.close(true).catch(() => {});
    await Promise.allSettled([this.#producer?.close(), this.#transactions?.close()]);
  }
}
