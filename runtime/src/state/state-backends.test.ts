// The same keyed-state semantics on both backends: the heap, and LMDB with a write-back cache so small that
// every few accesses evict (values changed in place must survive eviction). Snapshots per key group and
// restores must agree byte for byte in content.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeState, encodeState } from '../checkpoint/state-encoding.ts';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.ts';
import { createInternalState } from './internal-keyed-state.ts';
import type { KeyValue } from './key-hash.ts';
import { normalizeKey } from './key-normalizer.ts';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from './keyed-state.ts';
import type { KeyedBackendOptions, KeyedStateBackend, KeyedStateEntry } from './keyed-state-backend.ts';
import { LmdbKeyedStateBackend } from './lmdb-keyed-state-backend.ts';
import { aggregatingState, listState, mapState, reducingState, valueState } from './state-descriptor.ts';
import { StateTtlConfig } from './state-ttl-config.ts';

const options: KeyedBackendOptions = {
  maxParallelism: 128,
  keyGroupRange: { start: 0, end: 127 },
  now: () => 0,
};

const backends: [string, (o?: KeyedBackendOptions) => KeyedStateBackend][] = [
  ['heap', (o = options) => new HeapKeyedStateBackend(o)],
  ['lmdb (cache of 3 entries)', (o = options) => new LmdbKeyedStateBackend(o, { cacheEntries: 3 })],
];

const KEYS: KeyValue[] = ['a', 'b', 7, 7.5, -0.25, true, null, 12n, ['tuple', 1], 'c', 'd', 'e'];

function exercise(backend: KeyedStateBackend): void {
  const value = createInternalState(backend, valueState<{ n: number }>('value')) as ValueState<{ n: number }>;
  const list = createInternalState(backend, listState<string>('list')) as ListState<string>;
  const map = createInternalState(backend, mapState<string, number>('map')) as MapState<string, number>;
  const reducing = createInternalState(
    backend,
    reducingState<number>('reducing', (a, b) => a + b),
  ) as ReducingState<number>;
  // An accumulator changed in place, as user aggregate functions often do.
  const aggregating = createInternalState(
    backend,
    aggregatingState<number, { sum: number; count: number }, number>('aggregating', {
      createAccumulator: () => ({ sum: 0, count: 0 }),
      add: (v, acc) => {
        acc.sum += v;
        acc.count++;
        return acc;
      },
      getResult: (acc) => acc.sum / acc.count,
      merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
    }),
  ) as AggregatingState<number, number>;
  for (let round = 0; round < 3; round++) {
    for (const [i, key] of KEYS.entries()) {
      backend.setCurrentKey(normalizeKey(key));
      value.update({ n: (value.value()?.n ?? 0) + i });
      list.add(`${round}:${i}`);
      map.put(`r${round}`, i);
      reducing.add(i);
      aggregating.add(i + round);
    }
  }
  backend.setCurrentKey(normalizeKey('b'));
  value.clear();
  map.remove('r1');
  backend.setCurrentKey(normalizeKey('c'));
  list.update([]);
}

function read(backend: KeyedStateBackend) {
  const out: Record<string, unknown> = {};
  const value = createInternalState(backend, valueState<{ n: number }>('value')) as ValueState<{ n: number }>;
  const list = createInternalState(backend, listState<string>('list')) as ListState<string>;
  const map = createInternalState(backend, mapState<string, number>('map')) as MapState<string, number>;
  for (const key of KEYS) {
    backend.setCurrentKey(normalizeKey(key));
    out[JSON.stringify(key, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))] = {
      value: value.value(),
      list: list.get(),
      map: map.entries(),
    };
  }
  return out;
}

function stringify(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    typeof x === 'bigint' ? `${x}n` : x instanceof Map ? { map: [...x] } : x,
  );
}

function sortedSnapshot(backend: KeyedStateBackend): [number, KeyedStateEntry[]][] {
  const groups = [...backend.snapshotByKeyGroup(() => false)];
  for (const [, entries] of groups) entries.sort((a, b) => (stringify(a) < stringify(b) ? -1 : 1));
  return groups.sort((a, b) => a[0] - b[0]);
}

const heapReference = (() => {
  const heap = new HeapKeyedStateBackend(options);
  exercise(heap);
  return { read: read(heap), snapshot: stringify(sortedSnapshot(heap)) };
})();

for (const [name, create] of backends) {
  test(`${name}: reads, in-place changes, removals and all key types behave as on the heap`, () => {
    const backend = create();
    try {
      exercise(backend);
      assert.equal(read(backend), heapReference.read);
    } finally {
      backend.dispose();
    }
  });

  test(`${name}: snapshot per key group equals the heap's, and restores at another range`, () => {
    const backend = create();
    const half = create({ ...options, keyGroupRange: { start: 0, end: 63 } });
    try {
      exercise(backend);
      const snapshot = sortedSnapshot(backend);
      assert.is(stringify(snapshot), heapReference.snapshot);
      // Through the checkpoint codec, as a restore reads it: a MapState value must come back as a Map.
      half.restoreEntries(
        decodeState<KeyedStateEntry[]>(encodeState(snapshot.flatMap(([, entries]) => entries))),
        (n) => ({ kind: n === 'list' ? 'list' : n === 'map' ? 'map' : 'value', name: n }) as never,
      );
      const restored = sortedSnapshot(half);
      assert.ok(restored.length > 0 && restored.every(([kg]) => kg <= 63), 'only key groups 0..63 restored');
      assert.is(
        stringify(restored),
        stringify(snapshot.filter(([kg]) => kg <= 63)),
        'the restored half equals that half of the snapshot',
      );
      const map = createInternalState(half, mapState<string, number>('map')) as MapState<string, number>;
      half.setCurrentKey(normalizeKey(restored[0]![1].find((e) => e[0] === 'map')![1]));
      map.put('after-restore', 1);
      assert.is(map.get('after-restore'), 1, 'a restored MapState is a Map again');
    } finally {
      backend.dispose();
      half.dispose();
    }
  });

  test(`${name}: keys() lists each key with state once`, () => {
    const backend = create();
    try {
      exercise(backend);
      const keys = [...backend.keys('list')].map(stringify).sort();
      assert.equal(
        keys,
        KEYS.filter((k) => k !== 'c')
          .map(stringify)
          .sort(),
      );
    } finally {
      backend.dispose();
    }
  });

  test(`${name}: TTL values expire and are left out of snapshots`, () => {
    let now = 0;
    const backend = create({ ...options, now: () => now });
    try {
      const ttl = StateTtlConfig.newBuilder(100).build();
      const s = createInternalState(backend, valueState<string>('ttl', { ttl })) as ValueState<string>;
      for (const k of KEYS) {
        backend.setCurrentKey(normalizeKey(k));
        s.update(String(k));
      }
      now = 150;
      backend.setCurrentKey(normalizeKey('a'));
      assert.is(s.value(), undefined);
      s.update('fresh');
      assert.is(s.value(), 'fresh');
      const entries = [...backend.snapshotByKeyGroup(() => false)].flatMap(([, e]) => e);
      assert.ok(entries.length >= 1);
    } finally {
      backend.dispose();
    }
  });
}

test('lmdb: an asynchronous snapshot sees the state as of the barrier, while writes go on', async () => {
  const backend = new LmdbKeyedStateBackend(options, { cacheEntries: 50 });
  try {
    const value = createInternalState(backend, valueState<number>('v')) as ValueState<number>;
    const many = Array.from({ length: 60_000 }, (_, i) => i);
    for (const k of many) {
      backend.setCurrentKey(k);
      value.update(k);
    }
    const pending = backend.snapshotKeyedState(1, () => false);
    assert.instance(pending, Promise, 'read later, in slices');
    for (const k of many) {
      backend.setCurrentKey(k);
      value.update(-1);
    }
    const entries = [...(await pending).groups.values()].flat();
    assert.is(entries.length, many.length);
    assert.ok(
      entries.every(([, key, , v]) => v === key),
      'no write after the barrier shows in the snapshot',
    );
    backend.setCurrentKey(7);
    assert.is(value.value(), -1, 'and the live state has the new values');
  } finally {
    backend.dispose();
  }
});

test.run();
