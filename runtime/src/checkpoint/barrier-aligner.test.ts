import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BarrierAligner } from './barrier-aligner.ts';

test('exactly-once: channels that delivered the barrier are blocked until all have', () => {
  const a = new BarrierAligner(3, 'exactly-once');
  assert.equal(a.onBarrier(1, 7), {});
  assert.ok(a.isBlocked(1));
  assert.not.ok(a.isBlocked(0));
  assert.equal(a.onBarrier(0, 7), {});
  assert.equal(a.onBarrier(2, 7), { snapshot: 7 });
  assert.not.ok(a.isBlocked(1), 'unblocked after the snapshot');
});

test('at-least-once: nothing is blocked, the snapshot comes with the last barrier', () => {
  const a = new BarrierAligner(2, 'at-least-once');
  a.onBarrier(0, 1);
  assert.not.ok(a.isBlocked(0));
  assert.equal(a.onBarrier(1, 1), { snapshot: 1 });
});

test('ended channels count as aligned', () => {
  const a = new BarrierAligner(2, 'exactly-once');
  a.onEnd(1);
  assert.equal(a.onBarrier(0, 3), { snapshot: 3 });
  const b = new BarrierAligner(2, 'exactly-once');
  b.onBarrier(0, 4);
  assert.equal(b.onEnd(1), { snapshot: 4 });
});

test('a newer barrier aborts an unfinished alignment', () => {
  const a = new BarrierAligner(2, 'exactly-once');
  a.onBarrier(0, 1);
  assert.equal(a.onBarrier(0, 2), { aborted: 1 });
  assert.equal(a.onBarrier(1, 1), {}, 'a stale barrier is ignored');
  assert.equal(a.onBarrier(1, 2), { snapshot: 2 });
});

test.run();
