// Session windows with gap 10: an element at t opens [t, t+10); overlapping sessions of a key merge.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EventTimeSessionWindows } from '../../runtime/src/windowing/session-windows.ts';
import { CountTrigger } from '../../runtime/src/windowing/triggers.ts';
import { countingWindow, type Ev, LATE } from './window-test-kit.ts';

const sessions = () => EventTimeSessionWindows.withGap(10) as EventTimeSessionWindows<Ev>;

test('two sessions bridged by a later element merge into one window with all elements', async () => {
  const h = await countingWindow(sessions());
  // a@0 -> [0,10); a@15 -> [15,25): separate. a@8 -> [8,18) overlaps both: merged [0,25) with 3 elements.
  h.element({ key: 'a' }, 0).element({ key: 'a' }, 15).watermark(5).element({ key: 'a' }, 8);
  h.element({ key: 'b' }, 1);
  h.watermark(100);
  assert.equal(h.take().sort(), ['a@0-25=3', 'b@1-11=1']);
});

test('sessions that do not overlap fire separately', async () => {
  const h = await countingWindow(sessions());
  h.element({ key: 'a' }, 0).element({ key: 'a' }, 10).element({ key: 'a' }, 30);
  // [0,10) and [10,20) touch at 10: Flink's intersects() is inclusive, so they merge into [0,20).
  h.watermark(19);
  assert.equal(h.take(), ['a@0-20=2']);
  h.watermark(100);
  assert.equal(h.take(), ['a@30-40=1']);
});

test('the full-window function sees the merged elements (list state merged)', async () => {
  const h = await countingWindow(sessions(), { list: true });
  h.element({ key: 'a' }, 20)
    .element({ key: 'a' }, 0)
    .element({ key: 'a' }, 5)
    .element({ key: 'a' }, 14)
    .watermark(100);
  // [20,30), [0,10), [5,15) -> merge [0,15), [14,24) merges everything: [0,30) with 4 elements.
  assert.equal(h.take(), ['a@0-30=4']);
});

test('a late element merging into a live session within allowed lateness re-fires it', async () => {
  const h = await countingWindow(sessions(), { allowedLateness: 20, lateTag: true });
  h.element({ key: 'a' }, 0).watermark(9);
  assert.equal(h.take(), ['a@0-10=1']);
  h.element({ key: 'a' }, 5); // [5,15) merges with [0,10) into [0,15); maxTs 14 > wm 9: fires at 14
  h.watermark(14);
  assert.equal(h.take(), ['a@0-15=2']);
  h.watermark(34).element({ key: 'a' }, 2); // [0,15) cleaned up at 14 + 20 = 34; [2,12) is late for good
  assert.equal(h.take(), []);
  assert.equal(h.sideValues(LATE.id), [{ key: 'a' }]);
});

test('count triggers merge their counts when sessions merge', async () => {
  const h = await countingWindow(sessions(), { trigger: CountTrigger.of(3) as never });
  h.element({ key: 'a' }, 0).element({ key: 'a' }, 15);
  assert.equal(h.take(), []);
  h.element({ key: 'a' }, 8); // merges into [0,25); merged count 1 + 1 + 1 = 3 fires
  assert.equal(h.take(), ['a@0-25=3']);
});

test.run();
