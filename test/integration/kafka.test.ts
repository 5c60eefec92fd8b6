// Kafka is real: a transactional producer commits one transaction and aborts another against the
// KRaft broker from hack/test-env.sh, and a read_committed consumer sees only the committed records
// while a read_uncommitted one also sees the aborted ones (so the abort really reached the log).
import {
  Admin,
  Consumer,
  FetchIsolationLevels,
  type Message,
  Producer,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTestEnv, uniqueName } from './test-env.ts';

const kafka = suite('kafka (KRaft broker from hack/test-env.sh)');

async function readUntil(
  bootstrapBrokers: string[],
  topic: string,
  isolationLevel: number,
  last: string,
  timeoutMs = 30_000,
): Promise<string[]> {
  const consumer = new Consumer({
    clientId: uniqueName('riffle-it-consumer'),
    groupId: uniqueName('riffle-it-group'),
    bootstrapBrokers,
    deserializers: stringDeserializers,
  });
  const seen: string[] = [];
  const timer = setTimeout(() => void consumer.close(true), timeoutMs);
  try {
    const stream = await consumer.consume({
      topics: [topic],
      mode: 'earliest',
      isolationLevel,
      autocommit: false,
      maxWaitTime: 200,
      sessionTimeout: 10_000,
      heartbeatInterval: 500,
    });
    for await (const message of stream as AsyncIterable<Message<string, string, string, string>>) {
      seen.push(message.value);
      if (message.value === last) break;
    }
  } finally {
    clearTimeout(timer);
    await consumer.close(true);
  }
  if (!seen.includes(last))
    throw new Error(`did not read ${last} from ${topic} within ${timeoutMs} ms; read ${seen}`);
  return seen;
}

kafka(
  'transactional produce: committed records are visible to read_committed, aborted ones are not',
  async () => {
    const env = loadTestEnv();
    const topic = uniqueName('riffle-it-tx');
    const admin = new Admin({ clientId: 'riffle-it-admin', bootstrapBrokers: env.kafkaBootstrapServers });
    try {
      await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
    } finally {
      await admin.close();
    }

    const producer = new Producer({
      clientId: 'riffle-it-producer',
      bootstrapBrokers: env.kafkaBootstrapServers,
      serializers: stringSerializers,
      idempotent: true,
      transactionalId: uniqueName('riffle-it-txid'),
    });
    try {
      const committed = await producer.beginTransaction();
      await committed.send({
        messages: [
          { topic, key: 'k', value: 'committed-1' },
          { topic, key: 'k', value: 'committed-2' },
        ],
      });
      await committed.commit();

      const aborted = await producer.beginTransaction();
      await aborted.send({
        messages: [
          { topic, key: 'k', value: 'aborted-1' },
          { topic, key: 'k', value: 'aborted-2' },
        ],
      });
      await aborted.abort();

      const last = await producer.beginTransaction();
      await last.send({ messages: [{ topic, key: 'k', value: 'committed-3' }] });
      await last.commit();
    } finally {
      await producer.close();
    }

    const readCommitted = await readUntil(
      env.kafkaBootstrapServers,
      topic,
      FetchIsolationLevels.READ_COMMITTED,
      'committed-3',
    );
    assert.equal(readCommitted, ['committed-1', 'committed-2', 'committed-3']);

    const readUncommitted = await readUntil(
      env.kafkaBootstrapServers,
      topic,
      FetchIsolationLevels.READ_UNCOMMITTED,
      'committed-3',
    );
    assert.equal(readUncommitted, ['committed-1', 'committed-2', 'aborted-1', 'aborted-2', 'committed-3']);
  },
);

kafka.run();
