// KafkaSink against the real broker: an exactly-once sink aborts the transactions a failed earlier attempt
// left open under its prefix (they would hold back every read_committed reader), and keys decide
// partitions.
import { Producer } from '@platformatic/kafka';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KafkaSerializers, KafkaSink, StreamExecutionEnvironment } from '../../../runtime/src/index.ts';
import { waitFor } from '../cluster/local-cluster.ts';
import { loadTestEnv, uniqueName } from '../test-env.ts';
import { createTopics, deleteTopics, readToEnd } from './kafka-test-kit.ts';

test('a lingering transaction of the prefix is aborted at start, so read_committed readers move on', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const output = uniqueName('riffle-lingering');
  const prefix = uniqueName('riffle-tx');
  await createTopics(bootstrap, { [output]: 1 });
  // A crashed attempt's open transaction, numbered after any checkpoint (a fresh start restores none).
  const zombie = new Producer({
    clientId: 'riffle-it-zombie',
    bootstrapBrokers: bootstrap,
    idempotent: true,
    transactionalId: `${prefix}-0-42`,
    producerId: -1n,
    producerEpoch: -1,
    timeout: 3_600_000,
  });
  try {
    const tx = await zombie.beginTransaction();
    await tx.send({ messages: [{ topic: output, value: Buffer.from('zombie') }] });
    assert.equal(await readToEnd(bootstrap, output), [], 'the open transaction holds read_committed back');

    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
    env.enableCheckpointing(200, { storage: `/tmp/${uniqueName('riffle-cp')}` });
    env.fromCollection(['a', 'b', 'c']).sinkTo(
      new KafkaSink({
        bootstrapServers: bootstrap,
        deliveryGuarantee: 'exactly-once',
        transactionalIdPrefix: prefix,
        serializer: KafkaSerializers.string({ topic: output }),
      }),
    );
    await env.execute('lingering');
    // commit markers are written just after the commit returns
    await waitFor(
      async () => (await readToEnd(bootstrap, output)).length >= 3,
      20_000,
      () => 'output not visible',
    );
    const values = (await readToEnd(bootstrap, output)).map((r) => r.value);
    assert.equal(values, ['a', 'b', 'c'], 'the zombie was aborted and the job output committed');
    const all = (await readToEnd(bootstrap, output, 'read_uncommitted')).map((r) => r.value);
    assert.ok(all.includes('zombie'), 'the aborted record is in the log, invisible to read_committed');
  } finally {
    await zombie.close(true);
    await deleteTopics(bootstrap, [output]);
  }
});

test('a transaction prepared by a writer that died is committed from its committable, twice harmlessly', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const output = uniqueName('riffle-recover');
  const prefix = uniqueName('riffle-tx');
  await createTopics(bootstrap, { [output]: 2 });
  const sink = new KafkaSink<string>({
    bootstrapServers: bootstrap,
    deliveryGuarantee: 'exactly-once',
    transactionalIdPrefix: prefix,
    serializer: KafkaSerializers.string({ topic: output, key: (v) => v }),
  });
  const ctx = { subtaskIndex: 0, parallelism: 1, operatorName: 'Sink: test' };
  const first = await sink.createWriter(ctx);
  for (const v of ['x', 'y', 'z']) await first.write(v, 0);
  // Sealed at checkpoint 5 (records still buffered in the writer go into it), never committed.
  const committable = (await first.prepareCommit!(5)) as { transactionalId: string };
  const n = Number(committable.transactionalId.split('-').at(-1));
  assert.ok(
    n <= 5,
    `numbered at most 5 (${committable.transactionalId}): a restore from 5 aborts only higher ones`,
  );
  await first.close(); // the process "dies" before the checkpoint's completion reaches it
  try {
    assert.equal(await readToEnd(bootstrap, output), [], 'prepared, not visible');
    // After a restore from checkpoint 5, a writer (here at another subtask) commits the restored committable.
    const restored = await sink.createWriter({ ...ctx, restoredCheckpointId: 5 });
    await restored.commit!(committable);
    await restored.commit!(committable); // committing again (a second restore) changes nothing
    await restored.close();
    await waitFor(
      async () => (await readToEnd(bootstrap, output)).length >= 3,
      20_000,
      () => 'not committed',
    );
    assert.equal((await readToEnd(bootstrap, output)).map((r) => r.value).sort(), ['x', 'y', 'z']);
  } finally {
    await deleteTopics(bootstrap, [output]);
  }
});

test('records with the same key go to the same partition; an explicit partition wins', async () => {
  const { kafkaBootstrapServers: bootstrap } = loadTestEnv();
  const output = uniqueName('riffle-keys');
  await createTopics(bootstrap, { [output]: 4 });
  try {
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    const events = Array.from({ length: 200 }, (_, i) => ({ key: `k${i % 7}`, i }));
    env.fromCollection(events).sinkTo(
      new KafkaSink({
        bootstrapServers: bootstrap,
        serializer: KafkaSerializers.json({
          topic: output,
          key: (e: { key: string; i: number }) => e.key,
          partition: (e) => (e.key === 'k0' ? 3 : undefined),
        }),
      }),
    );
    await env.execute('keys');
    const records = await readToEnd(bootstrap, output);
    assert.is(records.length, 200);
    const partitionsOf = new Map<string, Set<number>>();
    for (const r of records)
      partitionsOf.set(r.key!, (partitionsOf.get(r.key!) ?? new Set()).add(r.partition));
    for (const [key, partitions] of partitionsOf) assert.is(partitions.size, 1, `${key} in one partition`);
    assert.equal([...partitionsOf.get('k0')!], [3]);
  } finally {
    await deleteTopics(bootstrap, [output]);
  }
});

test.run();
