// Tumbling and sliding event-time windows, expectations worked out by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SlidingEventTimeWindows } from '../../runtime/src/windowing/sliding-windows.ts';
import { TumblingEventTimeWindows } from '../../runtime/src/windowing/tumbling-windows.ts';
import { TimeWindow } from '../../runtime/src/windowing/window.ts';
import { countingWindow } from './window-test-kit.ts';

test('window start with offset follows Flink (negative timestamps included)', () => {
  const cases: [number, number, number, number][] = [
    // [timestamp, offset, size, expected start]
    [0, 0, 10, 0],
    [9, 0, 10, 0],
    [10, 0, 10, 10],
    [-1, 0, 10, -10],
    [-10, 0, 10, -10],
    [7, 3, 10, 3],
    [2, 3, 10, -7],
  ];
  for (const [ts, offset, size, start] of cases)
    assert.is(TimeWindow.getWindowStartWithOffset(ts, offset, size), start, `ts ${ts}`);
});

test('tumbling: out-of-order elements land in their own windows; a window fires when the watermark reaches end - 1', async () => {
  const h = await countingWindow(TumblingEventTimeWindows.of(10));
  // a@3, a@12, a@7 (out of order), b@9
  h.element({ key: 'a' }, 3).element({ key: 'a' }, 12).element({ key: 'a' }, 7).element({ key: 'b' }, 9);
  h.watermark(8);
  assert.equal(h.take(), [], 'window [0,10) has maxTimestamp 9: not yet');
  h.watermark(9);
  // [0,10): a has 3 and 7 -> 2; b has 9 -> 1. Output timestamp = window max timestamp 9.
  assert.equal(
    h.output.map((e) => e.timestamp),
    [9, 9],
  );
  assert.equal(h.take().sort(), ['a@0-10=2', 'b@0-10=1']);
  h.watermark(19);
  assert.equal(h.take(), ['a@10-20=1']);
});

test('tumbling: an element at exactly the window end belongs to the next window', async () => {
  const h = await countingWindow(TumblingEventTimeWindows.of(10));
  h.element({ key: 'a' }, 9).element({ key: 'a' }, 10).watermark(100);
  assert.equal(h.take(), ['a@0-10=1', 'a@10-20=1']);
});

test('sliding size 10 slide 5: each element is in two windows, counted once in each', async () => {
  const h = await countingWindow(SlidingEventTimeWindows.of(10, 5));
  // a@1 -> [-5,5), [0,10); a@6 -> [0,10), [5,15); a@12 -> [5,15), [10,20)
  h.element({ key: 'a' }, 1).element({ key: 'a' }, 6).element({ key: 'a' }, 12).watermark(100);
  assert.equal(h.take(), ['a@-5-5=1', 'a@0-10=2', 'a@5-15=2', 'a@10-20=1']);
});

test('negative or zero sizes fail when the assigner is built, saying what to pass', () => {
  assert.throws(() => TumblingEventTimeWindows.of(-1000), /tumbling window size must be a positive duration/);
  assert.throws(() => TumblingEventTimeWindows.of(0), /positive duration/);
  assert.throws(() => SlidingEventTimeWindows.of(10, 0), /sliding window slide must be a positive duration/);
  assert.throws(() => TumblingEventTimeWindows.of(10, 10), /offset must be smaller than its size/);
});

test.run();
