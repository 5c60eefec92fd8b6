// Late data, worked out by hand. Window [0,10) has maxTimestamp 9; with allowed lateness L its state is
// kept until the watermark reaches 9 + L (the cleanup time). A late element inside that time re-fires
// the window with the updated result; after it, the element is late for every window: it goes to the late
// side output, or is dropped and counted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TumblingEventTimeWindows } from '../../runtime/src/windowing/tumbling-windows.ts';
import { countingWindow, LATE } from './window-test-kit.ts';

test('within allowed lateness a late element re-fires the window with the updated count', async () => {
  const h = await countingWindow(TumblingEventTimeWindows.of(10), { allowedLateness: 5, lateTag: true });
  h.element({ key: 'a' }, 2).element({ key: 'a' }, 4).watermark(9);
  assert.equal(h.take(), ['a@0-10=2'], 'on-time firing');
  h.element({ key: 'a' }, 5); // watermark 9 >= 9: late, but 9 + 5 = 14 > 9: inside lateness
  assert.equal(h.take(), ['a@0-10=3'], 'late firing, at once');
  h.watermark(13).element({ key: 'a' }, 1); // 13 < 14: still inside
  assert.equal(h.take(), ['a@0-10=4']);
  h.watermark(14); // cleanup time reached: state dropped, nothing emitted
  assert.equal(h.take(), []);
  h.element({ key: 'a' }, 8); // 8 + 5 <= 14: late for good
  assert.equal(h.take(), []);
  assert.equal(h.sideValues(LATE.id), [{ key: 'a' }]);
  assert.is(h.metrics.numLateRecordsDropped, 0, 'sent to the side output, not dropped');
});

test('without a late-data tag, elements beyond lateness are dropped and counted', async () => {
  const h = await countingWindow(TumblingEventTimeWindows.of(10));
  h.element({ key: 'a' }, 2).watermark(9);
  assert.equal(h.take(), ['a@0-10=1']);
  h.element({ key: 'a' }, 3).element({ key: 'b' }, 9).element({ key: 'b' }, 10);
  // 3 and 9 belong to [0,10), already cleaned up (lateness 0): dropped. 10 is on time for [10,20).
  assert.is(h.metrics.numLateRecordsDropped, 2);
  h.watermark(19);
  assert.equal(h.take(), ['b@10-20=1']);
});

test('an element is on time while the watermark is below its window end, even if behind other elements', async () => {
  const h = await countingWindow(TumblingEventTimeWindows.of(10), { lateTag: true });
  h.element({ key: 'a' }, 15).watermark(8).element({ key: 'a' }, 1).watermark(20);
  assert.equal(h.take(), ['a@0-10=1', 'a@10-20=1']);
  assert.equal(h.sideValues(LATE.id), []);
});

test('the job result reports late records a window dropped', async () => {
  const { CollectSink, StreamExecutionEnvironment, WatermarkStrategy } = await import(
    '../../runtime/src/index.ts'
  );
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromCollection([58_000, 70_000, 30_000])
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forBoundedOutOfOrdernessPerEvent<number>(5000).withTimestampAssigner((t) => t),
    )
    .keyBy(() => 'all')
    .window(TumblingEventTimeWindows.of(60_000))
    .reduce((a) => a)
    .uid('minute')
    .sinkTo(new CollectSink());
  const result = await env.execute();
  assert.is(result.metrics.minute!.numLateRecordsDropped, 1);
});

test.run();
