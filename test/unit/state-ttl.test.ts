// State TTL (processing time, as in Flink), driven by a manual clock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HeapKeyedStateBackend } from '../../runtime/src/state/heap-keyed-state-backend.ts';
import { createInternalState, isExpiredStored } from '../../runtime/src/state/internal-keyed-state.ts';
import type { ListState, MapState, ValueState } from '../../runtime/src/state/keyed-state.ts';
import { listState, mapState, valueState } from '../../runtime/src/state/state-descriptor.ts';
import { StateTtlConfig } from '../../runtime/src/state/state-ttl-config.ts';

function setup() {
  let now = 0;
  const backend = new HeapKeyedStateBackend({
    maxParallelism: 128,
    keyGroupRange: { start: 0, end: 127 },
    now: () => now,
  });
  backend.setCurrentKey('k');
  return { backend, advance: (to: number) => void (now = to) };
}

test('a value expires ttl ms after it was written (OnCreateAndWrite); writing again extends it', () => {
  const { backend, advance } = setup();
  const ttl = StateTtlConfig.newBuilder(100).build();
  const s = createInternalState(backend, valueState<string>('v', { ttl })) as ValueState<string>;
  s.update('x');
  advance(99);
  assert.is(s.value(), 'x');
  advance(100);
  assert.is(s.value(), undefined, 'expired at 0 + 100');
  s.update('y');
  advance(150);
  s.update('z'); // rewritten at 150: lives until 250
  advance(249);
  assert.is(s.value(), 'z');
  advance(250);
  assert.is(s.value(), undefined);
});

test('OnReadAndWrite: reading refreshes the timestamp', () => {
  const { backend, advance } = setup();
  const ttl = StateTtlConfig.newBuilder(100).setUpdateType('OnReadAndWrite').build();
  const s = createInternalState(backend, valueState<number>('v', { ttl })) as ValueState<number>;
  s.update(1);
  advance(90);
  assert.is(s.value(), 1); // refreshed at 90
  advance(180);
  assert.is(s.value(), 1); // refreshed at 180
  advance(280);
  assert.is(s.value(), undefined);
});

test('ReturnExpiredIfNotCleanedUp returns an expired value still held', () => {
  const { backend, advance } = setup();
  const ttl = StateTtlConfig.newBuilder(10).setStateVisibility('ReturnExpiredIfNotCleanedUp').build();
  const s = createInternalState(backend, valueState<number>('v', { ttl })) as ValueState<number>;
  s.update(7);
  advance(50);
  assert.is(s.value(), 7);
});

test('list and map entries expire one by one', () => {
  const { backend, advance } = setup();
  const ttl = StateTtlConfig.newBuilder(100).build();
  const list = createInternalState(backend, listState<string>('l', { ttl })) as ListState<string>;
  const map = createInternalState(backend, mapState<string, number>('m', { ttl })) as MapState<
    string,
    number
  >;
  list.add('early');
  map.put('early', 1);
  advance(60);
  list.add('late');
  map.put('late', 2);
  advance(120);
  assert.equal(list.get(), ['late']);
  assert.equal(map.entries(), [['late', 2]]);
  advance(200);
  assert.equal(list.get(), []);
  assert.ok(map.isEmpty());
});

test('expired values are left out of snapshots', () => {
  const { backend, advance } = setup();
  const ttl = StateTtlConfig.newBuilder(100).build();
  const s = createInternalState(backend, valueState<number>('v', { ttl })) as ValueState<number>;
  s.update(1);
  backend.setCurrentKey('other');
  s.update(2);
  advance(100);
  const snap = backend.snapshotByKeyGroup((table, stored) => isExpiredStored(table, stored, 100));
  assert.is([...snap.values()].flat().length, 0);
});

test('a TTL must be positive', () => {
  assert.throws(() => StateTtlConfig.newBuilder(0), /state TTL must be a positive number/);
});

test.run();
