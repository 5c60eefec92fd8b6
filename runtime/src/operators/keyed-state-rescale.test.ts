// Keyed state and timers snapshot per key group and restore at another parallelism: every key's state and
// timers end up in the subtask that owns its key group. This is the contract checkpoints and rescaling use.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyedProcessFunction } from '../api/process-function.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.ts';
import {
  assignToKeyGroup,
  computeKeyGroupRangeForOperatorIndex,
  computeOperatorIndexForKeyGroup,
  keyGroupRangeContains,
} from '../state/key-group-range.ts';
import { normalizeKey } from '../state/key-normalizer.ts';
import type { ValueState } from '../state/keyed-state.ts';
import { valueState } from '../state/state-descriptor.ts';
import { ManualProcessingTimeService } from '../time/processing-time-service.ts';
import { KeyedProcessOperator } from './keyed-process-operator.ts';
import { OperatorMetrics } from './operator-metrics.ts';
import type { KeyGroupSnapshot, OperatorRestore } from './operator-snapshot.ts';
import type { Output } from './output.ts';

const MAX_PARALLELISM = 128;

/** Counts records per key; an event-time timer 10 ms after each record emits "key:count". */
function counter(): KeyedProcessFunction<string, string, string> {
  let count!: ValueState<number>;
  return {
    open(ctx) {
      count = ctx.getState(valueState<number>('count'));
    },
    processElement(_v, ctx) {
      count.update((count.value() ?? 0) + 1);
      ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 10);
    },
    onTimer(_ts, ctx, out) {
      out.collect(`${ctx.getCurrentKey()}:${count.value()}`);
    },
  };
}

type Subtask = {
  op: KeyedProcessOperator<string, string, string>;
  backend: HeapKeyedStateBackend;
  out: string[];
};

async function subtask(index: number, parallelism: number, restore?: OperatorRestore): Promise<Subtask> {
  const backend = new HeapKeyedStateBackend({
    maxParallelism: MAX_PARALLELISM,
    keyGroupRange: computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, parallelism, index),
    now: () => 0,
  });
  const out: string[] = [];
  const output: Output<string> = {
    collect: (v) => void out.push(v),
    collectSide() {},
    emitWatermark() {},
    emitWatermarkStatus() {},
    endOfInput() {},
  };
  const op = new KeyedProcessOperator(counter());
  op.setup(
    {
      name: 'counter',
      uid: 'counter',
      subtaskIndex: index,
      parallelism,
      maxParallelism: MAX_PARALLELISM,
      clock: new ManualProcessingTimeService(),
      keyedBackend: backend,
      metrics: new OperatorMetrics(),
      recordErrors: 'fail',
      autoWatermarkInterval: 0,
    },
    output,
  );
  op.initializeState(restore);
  await op.open();
  return { op, backend, out };
}

function feed(t: Subtask, key: string, ts: number): void {
  t.backend.setCurrentKey(normalizeKey(key));
  t.op.processElement(key, ts);
}

const keys = Array.from({ length: 40 }, (_, i) => `account-${i}`);

test('state and timers snapshotted at parallelism 1 restore at parallelism 3 by key group', async () => {
  const single = await subtask(0, 1);
  for (const k of keys) {
    feed(single, k, 100);
    feed(single, k, 105);
  }
  const snapshot = await single.op.snapshotState(1);
  assert.ok(snapshot.keyGroups!.size > 1, 'keys spread over several key groups');

  const restored: Subtask[] = [];
  for (let i = 0; i < 3; i++) {
    const range = computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, 3, i);
    const groups: KeyGroupSnapshot[] = [...snapshot.keyGroups!]
      .filter(([kg]) => keyGroupRangeContains(range, kg))
      .map(([, g]) => g);
    restored.push(await subtask(i, 3, { keyGroups: groups, operatorState: [] }));
  }
  // One more record per key, routed to the subtask that owns the key's group.
  for (const k of keys) {
    const owner = computeOperatorIndexForKeyGroup(MAX_PARALLELISM, 3, assignToKeyGroup(k, MAX_PARALLELISM));
    feed(restored[owner]!, k, 200);
  }
  for (const t of restored) t.op.processWatermark(1000);
  const emitted = restored.flatMap((t) => t.out).sort();
  // Three timers per key: 110 and 115 (restored) and 210 (the new record). All fire at watermark 1000,
  // after the third record, so each sees count 3.
  const expected = keys.flatMap((k) => [`${k}:3`, `${k}:3`, `${k}:3`]).sort();
  assert.equal(emitted, expected);
  assert.ok(
    restored.every((t) => t.out.length > 0),
    'every new subtask owns some keys',
  );
});

test('a subtask ignores restored state of key groups outside its range', async () => {
  const single = await subtask(0, 1);
  for (const k of keys) feed(single, k, 100);
  const snapshot = await single.op.snapshotState(1);
  const all = [...snapshot.keyGroups!.values()];
  const t = await subtask(0, 2, { keyGroups: all, operatorState: [] });
  const range = computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, 2, 0);
  const restoredKeys = [...t.backend.keys('count')];
  assert.ok(restoredKeys.length > 0 && restoredKeys.length < keys.length);
  for (const k of restoredKeys) assert.ok(keyGroupRangeContains(range, assignToKeyGroup(k, MAX_PARALLELISM)));
});

test.run();
