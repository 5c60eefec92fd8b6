// Lateness for overlapping and merging windows, driven through the WindowOperator harness. An element is
// dropped as late only when every window it belongs to is past its cleanup time (maxTimestamp + lateness
// <= watermark) and its own timestamp + lateness <= watermark.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventTimeSessionWindows } from '../../runtime/src/windowing/session-windows.ts';
import { SlidingEventTimeWindows } from '../../runtime/src/windowing/sliding-windows.ts';
import { CountTrigger, PurgingTrigger } from '../../runtime/src/windowing/triggers.ts';
import { countingWindow, LATE } from './window-test-kit.ts';

test('sliding(10,5): an element late for one of its windows still counts in the other', async () => {
  const h = await countingWindow(SlidingEventTimeWindows.of(10, 5), { lateTag: true });
  h.element({ key: 'a' }, 3).watermark(4);
  // 3 is in [-5,5) and [0,10); wm 4 = maxTimestamp of [-5,5): it fires and is cleaned up (lateness 0)
  assert.equal(h.take(), ['a@-5-5=1']);
  h.element({ key: 'a' }, 2); // [-5,5) is gone, [0,10) is open: not late, counted once there
  h.watermark(9);
  assert.equal(h.take(), ['a@0-10=2']);
  assert.equal(h.sideValues(LATE.id), []);
  h.element({ key: 'a' }, 9); // [0,10) gone, [5,15) open: counted in [5,15) only
  h.element({ key: 'a' }, 4); // [-5,5) and [0,10) both gone: late -> side output
  assert.equal(h.take(), []);
  assert.equal(h.sideValues(LATE.id), [{ key: 'a' }]);
  h.watermark(14); // [5,15) has 9 only (3 and 2 are below 5)
  assert.equal(h.take(), ['a@5-15=1']);
});

test('sliding(30,10): each element counted in all 3 windows; counts per window by hand', async () => {
  const h = await countingWindow(SlidingEventTimeWindows.of(30, 10));
  // elements 5, 12, 25, 31 -> windows (start): 5 in -20,-10,0; 12 in -10,0,10; 25 in 0,10,20; 31 in 10,20,30
  for (const ts of [25, 5, 31, 12]) h.element({ key: 'k' }, ts); // out of order, all on time
  h.watermark(100);
  assert.equal(h.take(), [
    'k@-20-10=1', // 5
    'k@-10-20=2', // 5, 12
    'k@0-30=3', // 5, 12, 25
    'k@10-40=3', // 12, 25, 31
    'k@20-50=2', // 25, 31
    'k@30-60=1', // 31
  ]);
});

test('sessions that already fired are bridged by a late element within lateness: one late firing of the merged window', async () => {
  const h = await countingWindow(EventTimeSessionWindows.withGap(10), {
    allowedLateness: 100,
    lateTag: true,
  });
  h.element({ key: 'a' }, 0).element({ key: 'a' }, 15).watermark(30);
  // [0,10) and [15,25) do not touch; both maxTimestamps (9, 24) <= 30: both fire, kept until 109 / 124
  assert.equal(h.take(), ['a@0-10=1', 'a@15-25=1']);
  h.element({ key: 'a' }, 8); // [8,18) touches both: merged [0,25); 24 <= 30 so it fires at once with 3
  assert.equal(h.take(), ['a@0-25=3']);
  h.watermark(123); // cleanup of [0,25) is 24 + 100 = 124
  h.element({ key: 'a' }, 3); // inside [0,25) which is still kept: fires again with 4
  assert.equal(h.take(), ['a@0-25=4']);
  h.watermark(124); // cleaned up, emits nothing
  assert.equal(h.take(), []);
  h.element({ key: 'a' }, 5); // [5,15): cleanup 14 + 100 <= 124, and 5 + 100 <= 124: late
  assert.equal(h.take(), []);
  assert.equal(h.sideValues(LATE.id), [{ key: 'a' }]);
});

test('a session opened by an element behind the watermark is on time while its cleanup time is ahead', async () => {
  const h = await countingWindow(EventTimeSessionWindows.withGap(10), { lateTag: true });
  h.element({ key: 'a' }, 0).watermark(9);
  assert.equal(h.take(), ['a@0-10=1']);
  // [1,11): maxTimestamp 10 > 9, so not late; [5,15) merges with it to [1,15)
  h.element({ key: 'a' }, 1).element({ key: 'a' }, 5);
  assert.equal(h.sideValues(LATE.id), []);
  h.watermark(14);
  assert.equal(h.take(), ['a@1-15=2']);
});

test('sessions with a purging count trigger: counts merge, purged elements are not seen again', async () => {
  const h = await countingWindow(EventTimeSessionWindows.withGap(10), {
    trigger: PurgingTrigger.of(CountTrigger.of(2)),
    list: true,
  });
  h.element({ key: 'a' }, 0).element({ key: 'a' }, 3); // [0,13) count 2: fire with 2 elements, purge
  assert.equal(h.take(), ['a@0-13=2']);
  h.element({ key: 'a' }, 6); // [6,16) merges into [0,16): count 0 + 1 = 1, contents 1 element
  h.element({ key: 'a' }, 30); // its own session, count 1
  h.element({ key: 'a' }, 8); // [8,18) merges into [0,18): count 2 -> fire with 6 and 8
  assert.equal(h.take(), ['a@0-18=2']);
  h.watermark(100); // the count trigger never fires on time; cleanup emits nothing
  assert.equal(h.take(), []);
});

test.run();
