// TTL seen from a KeyedProcessFunction: the descriptor option `ttl`, expiry by the operator's processing-time
// clock (the harness's manual clock), per key.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type KeyedProcessFunction,
  type ListState,
  listState,
  type MapState,
  mapState,
  StateTtlConfig,
  type ValueState,
  valueState,
} from '../../runtime/src/index.ts';
import { KeyedProcessOperator } from '../../runtime/src/operators/keyed-process-operator.ts';
import { OperatorHarness } from './harness/operator-harness.ts';

type Cmd = { key: string; op: 'count' | 'peek' | 'push' | 'put' | 'read' };

function counter(ttl: StateTtlConfig): KeyedProcessFunction<string, Cmd, string> {
  let n: ValueState<number>;
  let l: ListState<string>;
  let m: MapState<string, number>;
  let seq = 0;
  return {
    open(ctx) {
      n = ctx.getState(valueState<number>('n', { ttl }));
      l = ctx.getListState(listState<string>('l', { ttl }));
      m = ctx.getMapState(mapState<string, number>('m', { ttl }));
    },
    processElement(c, ctx, out) {
      const k = ctx.getCurrentKey();
      if (c.op === 'count') {
        const v = (n.value() ?? 0) + 1;
        n.update(v);
        out.collect(`${k}=${v}`);
      } else if (c.op === 'peek') out.collect(`${k}?${n.value() ?? 'none'}`);
      else if (c.op === 'push') l.add(`e${seq++}`);
      else if (c.op === 'put') m.put(`f${seq++}`, seq);
      else out.collect(`${k} list=[${l.get().join(',')}] map=[${m.keys().join(',')}]`);
    },
  };
}

async function harness(ttl: StateTtlConfig) {
  return new OperatorHarness<Cmd, string>(new KeyedProcessOperator(counter(ttl)), {
    keyOf: (c) => c.key,
  }).open();
}
const at = (h: OperatorHarness<Cmd, string>, t: number, ...cmds: Cmd[]) => {
  h.clock.advanceTo(t);
  for (const c of cmds) h.element(c, 0);
  return h.take();
};

test('a counter with ttl 100 (OnCreateAndWrite) restarts after 100 ms without writes, per key', async () => {
  const h = await harness(StateTtlConfig.newBuilder(100).build());
  assert.equal(at(h, 0, { key: 'a', op: 'count' }, { key: 'b', op: 'count' }), ['a=1', 'b=1']);
  assert.equal(at(h, 60, { key: 'a', op: 'count' }), ['a=2']); // a written at 60: lives until 160
  assert.equal(at(h, 99, { key: 'b', op: 'peek' }), ['b?1']); // b written at 0: alive until 100
  assert.equal(at(h, 100, { key: 'b', op: 'peek' }, { key: 'a', op: 'peek' }), ['b?none', 'a?2']);
  assert.equal(at(h, 159, { key: 'a', op: 'peek' }), ['a?2']); // reads do not extend (OnCreateAndWrite)
  assert.equal(at(h, 160, { key: 'a', op: 'count' }), ['a=1']); // expired at 160: starts again
});

test('OnReadAndWrite: reads keep the value alive', async () => {
  const h = await harness(StateTtlConfig.newBuilder(100).setUpdateType('OnReadAndWrite').build());
  at(h, 0, { key: 'a', op: 'count' });
  assert.equal(at(h, 90, { key: 'a', op: 'peek' }), ['a?1']); // read at 90: now lives until 190
  assert.equal(at(h, 180, { key: 'a', op: 'peek' }), ['a?1']); // read at 180: until 280
  assert.equal(at(h, 279, { key: 'a', op: 'count' }), ['a=2']);
  assert.equal(at(h, 379, { key: 'a', op: 'peek' }), ['a?none']); // written at 279: gone at 379
});

test('list and map entries expire one by one, each 100 ms after it was added', async () => {
  const h = await harness(StateTtlConfig.newBuilder(100).build());
  at(h, 0, { key: 'a', op: 'push' }, { key: 'a', op: 'put' }); // e0 and f1 at 0
  at(h, 50, { key: 'a', op: 'push' }, { key: 'a', op: 'put' }); // e2 and f3 at 50
  assert.equal(at(h, 99, { key: 'a', op: 'read' }), ['a list=[e0,e2] map=[f1,f3]']);
  assert.equal(at(h, 100, { key: 'a', op: 'read' }), ['a list=[e2] map=[f3]']);
  assert.equal(at(h, 150, { key: 'a', op: 'read' }), ['a list=[] map=[]']);
});

test.run();
