// The same keyed windowed job at parallelism 1 and 4 gives the same results (sorted): keyed state and
// timers are partitioned by key group, and each window sees its key's records in the input order.
// One reader and one watermark generator keep the watermarks deterministic (per-event, bound 100).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CollectSink,
  EventTimeSessionWindows,
  OutputTag,
  SlidingEventTimeWindows,
  type StateBackendConfig,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../../runtime/src/index.ts';

type Ev = { key: string; ts: number };
type Kind = 'tumbling' | 'sliding' | 'session';

async function job(parallelism: number, kind: Kind, events: Ev[], stateBackend?: StateBackendConfig) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism });
  if (stateBackend !== undefined) env.setStateBackend(stateBackend);
  const late = new OutputTag<Ev>('late');
  const keyed = env
    .fromCollection(events)
    .setParallelism(1)
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forBoundedOutOfOrdernessPerEvent<Ev>(100).withTimestampAssigner((e) => e.ts),
    )
    .setParallelism(1)
    .keyBy((e) => e.key);
  const windowed =
    kind === 'session'
      ? keyed.window(EventTimeSessionWindows.withGap(40))
      : kind === 'sliding'
        ? keyed.window(SlidingEventTimeWindows.of(300, 100))
        : keyed.window(TumblingEventTimeWindows.of(200));
  const out = windowed
    .allowedLateness(60)
    .sideOutputLateData(late)
    .process((k, ctx, els, o) =>
      o.collect(
        `${k} ${ctx.window.start}-${ctx.window.end} n=${els.length} sum=${els.reduce((a, e) => a + e.ts, 0)}`,
      ),
    );
  const sink = new CollectSink<string>();
  const lateSink = new CollectSink<Ev>();
  out.sinkTo(sink);
  out.getSideOutput(late).sinkTo(lateSink);
  await env.execute();
  return { main: sink.values.slice().sort(), late: lateSink.values.map((e) => `${e.key}@${e.ts}`).sort() };
}

// 600 events over 7 keys, disordered by up to 250 ms so some are late (beyond bound + lateness).
const many: Ev[] = Array.from({ length: 600 }, (_, i) => ({
  key: `k${(i * 5) % 7}`,
  ts: i * 10 - ((i * 37) % 11) * 25,
}));

for (const kind of ['tumbling', 'sliding', 'session'] as const) {
  test(`${kind}: parallelism 1 and 4 agree (main output and late output)`, async () => {
    const p1 = await job(1, kind, many);
    const p4 = await job(4, kind, many);
    assert.ok(p1.main.length > 200, 'enough windows to mean something');
    assert.equal(p4.main, p1.main);
    assert.equal(p4.late, p1.late);
    // State on disk (with a cache small enough to evict all the time) gives the same windows.
    const lmdb = await job(4, kind, many, { type: 'lmdb', cacheEntries: 5 });
    assert.equal(lmdb.main, p1.main);
    assert.equal(lmdb.late, p1.late);
  });
}

test('a small case by hand, same at parallelism 1 and 4', async () => {
  // tumbling 200, bound 100, lateness 60. Events in order: a@10 b@150 a@190 b@420 a@230 a@120
  //  a@10, b@150, a@190: wm 89;  b@420: wm 319 -> [0,200) fires: a n=2 sum=200, b n=1 sum=150
  //  a@230: [200,400) on time;  a@120: [0,200) maxTs 199, cleanup 259 <= 319 -> late
  //  end: [200,400) a n=1 sum=230; [400,600) b n=1 sum=420
  const events: Ev[] = [
    { key: 'a', ts: 10 },
    { key: 'b', ts: 150 },
    { key: 'a', ts: 190 },
    { key: 'b', ts: 420 },
    { key: 'a', ts: 230 },
    { key: 'a', ts: 120 },
  ];
  const expected = {
    main: ['a 0-200 n=2 sum=200', 'a 200-400 n=1 sum=230', 'b 0-200 n=1 sum=150', 'b 400-600 n=1 sum=420'],
    late: ['a@120'],
  };
  assert.equal(await job(1, 'tumbling', events), expected);
  assert.equal(await job(4, 'tumbling', events), expected);
});

test.run();
