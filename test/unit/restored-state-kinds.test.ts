// A user function's list and map state restore before the function declares them (the operator only
// guesses the kind, 'value'); declaring them afterwards must adopt the restored data, on every backend.
// Found by the Nexmark restore test (q9's list state).
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { decodeState, encodeState } from '../../runtime/src/checkpoint/state-encoding.ts';
import { HeapKeyedStateBackend } from '../../runtime/src/state/heap-keyed-state-backend.ts';
import { createInternalState } from '../../runtime/src/state/internal-keyed-state.ts';
import { normalizeKey } from '../../runtime/src/state/key-normalizer.ts';
import type { ListState, MapState, ValueState } from '../../runtime/src/state/keyed-state.ts';
import type {
  KeyedBackendOptions,
  KeyedStateBackend,
  KeyedStateEntry,
} from '../../runtime/src/state/keyed-state-backend.ts';
import { LmdbKeyedStateBackend } from '../../runtime/src/state/lmdb-keyed-state-backend.ts';
import { listState, mapState, valueState } from '../../runtime/src/state/state-descriptor.ts';

const options: KeyedBackendOptions = {
  maxParallelism: 128,
  keyGroupRange: { start: 0, end: 127 },
  now: () => 0,
};
const backends: [string, () => KeyedStateBackend][] = [
  ['heap', () => new HeapKeyedStateBackend(options)],
  ['lmdb', () => new LmdbKeyedStateBackend(options, { cacheEntries: 2 })],
];

for (const [name, create] of backends)
  test(`${name}: restored list and map state are adopted by their declaration; real conflicts still fail`, () => {
    const before = create();
    const after = create();
    try {
      before.setCurrentKey(normalizeKey(7));
      (createInternalState(before, listState<number>('bids')) as ListState<number>).addAll([1, 2]);
      (createInternalState(before, mapState<string, number>('seen')) as MapState<string, number>).put('a', 1);
      (createInternalState(before, valueState<number>('n')) as ValueState<number>).update(3);
      const entries = [...before.snapshotByKeyGroup(() => false).values()].flat();
      after.restoreEntries(
        decodeState<KeyedStateEntry[]>(encodeState(entries)),
        (n) => ({ kind: 'value', name: n }) as never,
      );
      after.setCurrentKey(normalizeKey(7));
      const list = createInternalState(after, listState<number>('bids')) as ListState<number>;
      const map = createInternalState(after, mapState<string, number>('seen')) as MapState<string, number>;
      assert.deepEqual(list.get(), [1, 2]);
      assert.equal(map.get('a'), 1);
      list.add(3);
      assert.deepEqual(list.get(), [1, 2, 3]);
      // Once declared, the kind is fixed.
      assert.throws(() => createInternalState(after, valueState('bids')), /already registered as list state/);
    } finally {
      before.dispose();
      after.dispose();
    }
  });

test.run();
