import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planSlots, type SlotRef } from './slot-plan.ts';

const slots = (tm: string, n: number): SlotRef[] =>
  Array.from({ length: n }, (_, i) => ({ taskManagerId: tm, slotIndex: i }));

const cases: { name: string; required: number; free: SlotRef[]; expect: string[] | string }[] = [
  { name: 'one TaskManager', required: 2, free: slots('a', 2), expect: ['a/0', 'a/1'] },
  {
    name: 'spread over TaskManagers',
    required: 4,
    free: [...slots('b', 2), ...slots('a', 2)],
    expect: ['a/0', 'b/0', 'a/1', 'b/1'],
  },
  {
    name: 'uneven TaskManagers',
    required: 3,
    free: [...slots('a', 1), ...slots('b', 4)],
    expect: ['a/0', 'b/0', 'b/1'],
  },
  { name: 'too few slots', required: 3, free: slots('a', 2), expect: 'needs 3 slots' },
];

for (const c of cases) {
  test(`planSlots: ${c.name}`, () => {
    const plan = planSlots(c.required, c.free);
    if (typeof c.expect === 'string') {
      assert.not.ok(plan.ok);
      assert.match(plan.ok ? '' : plan.message, c.expect);
    } else {
      assert.ok(plan.ok);
      assert.equal(plan.ok ? plan.shares.map((s) => `${s.taskManagerId}/${s.slotIndex}`) : [], c.expect);
    }
  });
}

test.run();
