// Kafka helpers for integration tests: topics, producing test input, and reading a topic to its end the way
// a downstream application would (read_committed: only records of committed transactions).
import { Admin, Consumer, FetchIsolationLevels, Producer } from '@platformatic/kafka';

export async function createTopics(bootstrap: string[], topics: Record<string, number>): Promise<void> {
  const admin = new Admin({ clientId: 'riffle-it-admin', bootstrapBrokers: bootstrap });
  try {
    for (const [topic, partitions] of Object.entries(topics)) {
      await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
    }
  } finally {
    await admin.close();
  }
}

export async function deleteTopics(bootstrap: string[], topics: string[]): Promise<void> {
  const admin = new Admin({ clientId: 'riffle-it-admin', bootstrapBrokers: bootstrap });
  try {
    await admin.deleteTopics({ topics });
  } catch {
    // best effort
  } finally {
    await admin.close();
  }
}

export async function produce(
  bootstrap: string[],
  topic: string,
  values: (string | Buffer)[],
  keyOf?: (i: number) => string,
): Promise<void> {
  const producer = new Producer({
    clientId: 'riffle-it-producer',
    bootstrapBrokers: bootstrap,
    idempotent: true,
  });
  try {
    for (let i = 0; i < values.length; i += 1000) {
      await producer.send({
        messages: values.slice(i, i + 1000).map((v, j) => ({
          topic,
          value: Buffer.from(v),
          ...(keyOf === undefined ? {} : { key: Buffer.from(keyOf(i + j)) }),
        })),
      });
    }
  } finally {
    await producer.close();
  }
}

export type ReadRecord = {
  partition: number;
  offset: number;
  key: string | null;
  value: string;
  headers: Map<string, string>;
};

/** Every record of `topic` up to its current end (last stable offset for read_committed). */
export async function readToEnd(
  bootstrap: string[],
  topic: string,
  isolation: 'read_committed' | 'read_uncommitted' = 'read_committed',
): Promise<ReadRecord[]> {
  const isolationLevel =
    isolation === 'read_committed'
      ? FetchIsolationLevels.READ_COMMITTED
      : FetchIsolationLevels.READ_UNCOMMITTED;
  const consumer = new Consumer({
    clientId: 'riffle-it-reader',
    groupId: 'riffle-it-unused',
    bootstrapBrokers: bootstrap,
  });
  try {
    const ends = (await consumer.listOffsets({ topics: [topic], isolationLevel })).get(topic)!;
    const md = await consumer.metadata({ topics: [topic] });
    const t = md.topics.get(topic)!;
    const out: ReadRecord[] = [];
    for (let p = 0; p < ends.length; p++) {
      let offset = 0n;
      const end = ends[p]!;
      while (offset < end) {
        const res = await consumer.fetch({
          node: t.partitions[p]!.leader,
          topics: [
            {
              topicId: t.id,
              partitions: [
                {
                  partition: p,
                  fetchOffset: offset,
                  partitionMaxBytes: 4 << 20,
                  currentLeaderEpoch: -1,
                  lastFetchedEpoch: -1,
                },
              ],
            },
          ],
          maxWaitTime: 100,
          minBytes: 1,
          maxBytes: 16 << 20,
          isolationLevel,
        });
        // The client drops aborted transactions' batches itself (read_committed); control batches are skipped
        // here. Independent of the connector's own filter (fetched-records.ts), which is under test.
        const part = res.responses[0]!.partitions[0]!;
        let next = offset;
        for (const batch of part.records ?? []) {
          next = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
          if ((batch.attributes & 0x20) !== 0) continue;
          for (const r of batch.records) {
            const o = batch.firstOffset + BigInt(r.offsetDelta);
            if (o < offset || o >= end) continue;
            out.push({
              partition: p,
              offset: Number(o),
              key: r.key === null ? null : r.key.toString(),
              value: r.value?.toString() ?? '',
              headers: new Map(r.headers.map(([k, v]) => [k?.toString() ?? '', v?.toString() ?? ''])),
            });
          }
        }
        if (next <= offset)
          throw new Error(`reading ${topic}/${p}: no progress at offset ${offset} (end ${end})`);
        offset = next;
      }
    }
    return out;
  } finally {
    await consumer.close(true);
  }
}
