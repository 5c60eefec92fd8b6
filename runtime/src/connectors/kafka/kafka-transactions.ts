// Transaction operations the client has no public call for: finishing a transaction that an earlier process
// prepared (commit by transactional id, producer id and epoch, as Flink's committer does after a restore),
// and listing open transactions to abort lingering ones. Requests go to the transaction coordinator through
// the client's own connections and protocol versions.

import type { Callback } from '@platformatic/kafka';
import { Admin, kGetApi, kGetConnection, kMetadata, Producer } from '@platformatic/kafka';

export type KafkaTransactionCommittable = {
  readonly transactionalId: string;
  readonly producerId: string;
  readonly producerEpoch: number;
};

type AnyApi = (connection: unknown, ...args: unknown[]) => void;

function call<R>(admin: Admin, apiName: string, broker: unknown, ...args: unknown[]): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    (admin[kGetConnection] as (b: unknown, cb: Callback<unknown>) => void)(broker, (error, connection) => {
      if (error) return reject(error);
      (admin[kGetApi] as (n: string, cb: Callback<AnyApi>) => void)(apiName, (apiError, api) => {
        if (apiError) return reject(apiError);
        api!(connection, ...args, (e: Error | null, response: R) => (e ? reject(e) : resolve(response)));
      });
    });
  });
}

function metadata(admin: Admin) {
  return new Promise<{ brokers: Map<number, unknown> }>((resolve, reject) => {
    (admin[kMetadata] as (o: object, cb: Callback<{ brokers: Map<number, unknown> }>) => void)(
      { topics: [] },
      (e, m) => (e ? reject(e) : resolve(m!)),
    );
  });
}

/** The Kafka error code in a client error (ResponseError, ProtocolError, or nested in MultipleErrors). */
function errorCodeOf(e: unknown): number | undefined {
  const err = e as { errors?: unknown[]; response?: { errorCode?: number }; apiCode?: number };
  if (err?.response?.errorCode) return err.response.errorCode;
  if (typeof err?.apiCode === 'number') return err.apiCode;
  for (const inner of err?.errors ?? []) {
    const code = errorCodeOf(inner);
    if (code !== undefined) return code;
  }
  return undefined;
}

/** COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, CONCURRENT_TRANSACTIONS */
const RETRIABLE = new Set([14, 15, 16, 51]);

export class KafkaTransactions {
  readonly #admin: Admin;
  readonly #bootstrap: string[];
  readonly #clientId: string;

  constructor(bootstrapServers: string[], clientId: string) {
    this.#bootstrap = bootstrapServers;
    this.#clientId = clientId;
    this.#admin = new Admin({ clientId, bootstrapBrokers: bootstrapServers });
  }

  /** Commits a prepared transaction of an earlier producer; committing it twice is fine. */
  async commitRecovered(c: KafkaTransactionCommittable): Promise<'committed' | 'already-completed'> {
    for (let attempt = 1; ; attempt++) {
      try {
        const md = await metadata(this.#admin);
        const coord = await call<{ coordinators: { nodeId: number; key: string; errorCode: number }[] }>(
          this.#admin,
          'FindCoordinator',
          md.brokers.values().next().value,
          1, // TRANSACTION
          [c.transactionalId],
        );
        const nodeId = coord.coordinators[0]!.nodeId;
        await call(
          this.#admin,
          'EndTxn',
          md.brokers.get(nodeId),
          c.transactionalId,
          BigInt(c.producerId),
          c.producerEpoch,
          true,
        );
        return 'committed';
      } catch (e) {
        const code = errorCodeOf(e);
        // INVALID_PRODUCER_EPOCH (47), INVALID_TXN_STATE (48), PRODUCER_FENCED (90): completed before
        if (code === 47 || code === 48 || code === 90) return 'already-completed';
        // the coordinator is moving or still writing the markers of an earlier end (CONCURRENT_TRANSACTIONS)
        if (!RETRIABLE.has(code ?? -1) || attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, Math.min(20 * attempt, 500)));
      }
    }
  }

  /** Transactional ids of open (Ongoing) transactions, from every broker. */
  async ongoing(): Promise<string[]> {
    const md = await metadata(this.#admin);
    const ids = new Set<string>();
    for (const broker of md.brokers.values()) {
      const r = await call<{ transactionStates: { transactionalId: string; transactionState: string }[] }>(
        this.#admin,
        'ListTransactions',
        broker,
        ['Ongoing'],
        [],
        -1n,
        null,
      );
      for (const t of r.transactionStates) ids.add(t.transactionalId);
    }
    return [...ids];
  }

  /** Aborts the open transaction of `transactionalId` by initializing a producer with it (fencing the old). */
  async abort(transactionalId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#abortOnce(transactionalId);
        return;
      } catch (e) {
        if (!RETRIABLE.has(errorCodeOf(e) ?? -1) || attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, Math.min(20 * attempt, 500)));
      }
    }
  }

  async #abortOnce(transactionalId: string): Promise<void> {
    const producer = new Producer({
      clientId: this.#clientId,
      bootstrapBrokers: this.#bootstrap,
      idempotent: true,
      transactionalId,
      producerId: -1n, // a new producer for the id, see KafkaSinkWriter
      producerEpoch: -1,
    });
    try {
      // InitProducerId aborts what the id left open; the new, empty transaction is only dropped locally.
      const tx = await producer.beginTransaction();
      await tx.cancel();
    } finally {
      await producer.close();
    }
  }

  async close(): Promise<void> {
    await this.#admin.close();
  }
}
