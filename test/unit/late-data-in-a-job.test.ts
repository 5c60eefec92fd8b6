// Lateness through a whole job, with per-event watermarks so the outcome is deterministic:
// after each event wm = maxTs - bound - 1 (bound 5).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CollectSink,
  OutputTag,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../../runtime/src/index.ts';

async function run(parallelism: number, withTag: boolean) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism });
  const main = new CollectSink<string>();
  const lateSink = new CollectSink<number>();
  const late = new OutputTag<number>('late');
  const windowed = env
    .fromCollection([1, 12, 9, 25, 14, 19, 3])
    .setParallelism(1)
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forBoundedOutOfOrdernessPerEvent<number>(5).withTimestampAssigner((t) => t),
    )
    // one watermark generator: at parallelism 4, generators that see no events would hold the watermark back
    .setParallelism(1)
    .keyBy(() => 'k')
    .window(TumblingEventTimeWindows.of(10))
    .allowedLateness(3);
  const out = (withTag ? windowed.sideOutputLateData(late) : windowed)
    .process((_k, ctx, els, o) =>
      o.collect(
        `${ctx.window.start}:${els
          .slice()
          .sort((a, b) => a - b)
          .join(',')}`,
      ),
    )
    .uid('w');
  out.sinkTo(main);
  if (withTag) out.getSideOutput(late).sinkTo(lateSink);
  const result = await env.execute();
  return { main: main.values, late: lateSink.values, dropped: result.metrics.w!.numLateRecordsDropped };
}

// By hand (window [0,10) maxTs 9 cleanup 12; [10,20) maxTs 19 cleanup 22):
//  1 -> wm -5;  12 -> wm 6;  9 -> wm 6, on time in [0,10)
//  25 -> wm 19: [0,10) fires "0:1,9", [10,20) fires "10:12"
//  14 -> [10,20) is past maxTs 19 but before cleanup 22: late firing "10:12,14"
//  19 -> same window, late firing "10:12,14,19"
//  3 -> [0,10) cleanup 12 <= 19: too late -> side output (or dropped and counted)
//  end of input (wm +inf): [20,30) fires "20:25"
const expectedMain = ['0:1,9', '10:12', '10:12,14', '10:12,14,19', '20:25'];

test('late firings inside allowed lateness, the side output beyond it', async () => {
  const r = await run(1, true);
  assert.equal(r.main, expectedMain);
  assert.equal(r.late, [3]);
  assert.is(r.dropped, 0);
});

test('without a late tag the too-late record is dropped and counted', async () => {
  const r = await run(1, false);
  assert.equal(r.main, expectedMain);
  assert.is(r.dropped, 1);
});

test('the same at parallelism 4 (one reader, so the per-channel order is the input order)', async () => {
  const r = await run(4, true);
  assert.equal(r.main, expectedMain);
  assert.equal(r.late, [3]);
});

test.run();
