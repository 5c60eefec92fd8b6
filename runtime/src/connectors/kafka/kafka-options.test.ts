import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KafkaDeserializers } from './kafka-record-deserializer.ts';
import { KafkaSerializers } from './kafka-record-serializer.ts';
import { KafkaSink } from './kafka-sink.ts';
import { KafkaSource } from './kafka-source.ts';
import { OffsetsInitializer } from './starting-offsets.ts';

const deserializer = KafkaDeserializers.string();
const serializer = KafkaSerializers.string({ topic: 'out' });

const bad: [string, () => unknown, RegExp][] = [
  [
    'bootstrap servers',
    () => new KafkaSource({ bootstrapServers: 'localhost', topics: ['a'], deserializer }),
    /"bootstrapServers".*host:port/,
  ],
  [
    'no topics',
    () => new KafkaSource({ bootstrapServers: 'h:1', deserializer }),
    /"topics".*exactly one of topics/,
  ],
  [
    'both topics and pattern',
    () => new KafkaSource({ bootstrapServers: 'h:1', topics: ['a'], topicPattern: /a/, deserializer }),
    /exactly one/,
  ],
  [
    'committed start without a group',
    () =>
      new KafkaSource({
        bootstrapServers: 'h:1',
        topics: ['a'],
        deserializer,
        startingOffsets: OffsetsInitializer.committedOffsets(),
      }),
    /"groupId"/,
  ],
  [
    'exactly-once without a prefix',
    () => new KafkaSink({ bootstrapServers: 'h:1', serializer, deliveryGuarantee: 'exactly-once' }),
    /"transactionalIdPrefix"/,
  ],
  [
    'unknown guarantee',
    () => new KafkaSink({ bootstrapServers: 'h:1', serializer, deliveryGuarantee: 'twice' as never }),
    /"deliveryGuarantee"/,
  ],
];

for (const [name, make, message] of bad) test(`refused: ${name}`, () => assert.throws(make, message));

test('valid options: bounded only with stopping offsets', () => {
  const unbounded = new KafkaSource({ bootstrapServers: 'h:1,h:2', topics: ['a'], deserializer });
  assert.is(unbounded.boundedness, 'unbounded');
  assert.equal(unbounded.options.bootstrapServers, ['h:1', 'h:2']);
  const bounded = new KafkaSource({
    bootstrapServers: ['h:1'],
    topics: ['a'],
    deserializer,
    stoppingOffsets: 'latest',
  });
  assert.is(bounded.boundedness, 'bounded');
  assert.is(bounded.options.partitionDiscoveryIntervalMs, 0);
});

test('JSON deserializer: schema problems name the field', () => {
  const record = (value: string) => ({
    topic: 't',
    partition: 0,
    offset: 0,
    timestamp: 0,
    key: null,
    value: Buffer.from(value),
    headers: [],
  });
  assert.equal(KafkaDeserializers.json().deserialize(record('{"a":1}')), { a: 1 });
  assert.throws(() => KafkaDeserializers.json().deserialize(record('{')), /JSON/);
  assert.throws(() => KafkaDeserializers.string().deserialize({ ...record(''), value: null }), /tombstone/);
});

test('serializer: topic, key and headers per element', () => {
  const s = KafkaSerializers.json<{ id: string }>({
    topic: (e) => `t-${e.id}`,
    key: (e) => e.id,
    headers: () => ({ h: 'v' }),
  });
  const r = s.serialize({ id: 'x' }, 0);
  assert.is(r.topic, 't-x');
  assert.is(r.key?.toString(), 'x');
  assert.is(r.value?.toString(), '{"id":"x"}');
  assert.is([...r.headers!].map(([k, v]) => `${k}=${v}`).join(), 'h=v');
});

test.run();
