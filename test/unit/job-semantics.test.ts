// Whole jobs in the local engine: idle inputs, parallelism equivalence, count windows, processing-time
// windows at the end of a bounded input, rolling aggregates.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CollectSink,
  EventTimeSessionWindows,
  type Source,
  type SourceReader,
  StreamExecutionEnvironment,
  Time,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  WatermarkStrategy,
} from '../../runtime/src/index.ts';

type Ev = { key: string; ts: number };

const count = {
  createAccumulator: () => 0,
  add: (_e: Ev, a: number) => a + 1,
  getResult: (a: number) => a,
  merge: (a: number, b: number) => a + b,
};

/** An unbounded source that never emits. */
class SilentSource implements Source<Ev> {
  readonly boundedness = 'unbounded' as const;
  createReader(): SourceReader<Ev> {
    return {
      pollNext: () => 'nothing-available',
      isAvailable: () => new Promise(() => {}),
      snapshotState: () => [],
      close() {},
    };
  }
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('an idle input (withIdleness) does not hold back windows of the other input', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ autoWatermarkInterval: 20 });
  const active = env
    .fromCollection(Array.from({ length: 30 }, (_, i) => ({ key: 'a', ts: i * 100 })))
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts),
    );
  const silent = env.fromSource(
    new SilentSource(),
    WatermarkStrategy.forMonotonousTimestamps<Ev>().withIdleness(100),
    'silent',
  );
  const sink = new CollectSink<[number, number]>();
  active
    .union(silent)
    .keyBy((e) => e.key)
    .window(TumblingEventTimeWindows.of(Time.seconds(1)))
    .aggregate(count, (_k, ctx, r, out) => out.collect([ctx.window.start, r[0]!]))
    .sinkTo(sink);
  const job = env.executeAsync('idle-input');
  // The silent input becomes idle after 100 ms; then the windows of the active input fire.
  await until(() => sink.values.length === 3, 5000);
  await job.cancel();
  assert.equal(sink.sortedValues(), [
    [0, 10],
    [1000, 10],
    [2000, 10],
  ]);
});

async function keyedJob(parallelism: number): Promise<string[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism });
  const sink = new CollectSink<string>();
  const events = Array.from({ length: 2000 }, (_, i) => ({
    key: `k${(i * 7) % 13}`,
    ts: i * 37 + ((i * 13) % 500),
  }));
  const stream = env
    .fromCollection(events)
    .setParallelism(1)
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forBoundedOutOfOrdernessPerEvent<Ev>(500).withTimestampAssigner((e) => e.ts),
    )
    .keyBy((e) => e.key);
  stream
    .window(TumblingEventTimeWindows.of(Time.seconds(5)))
    .aggregate(count, (k, ctx, r, out) => out.collect(`tumbling ${k} ${ctx.window.start} ${r[0]}`))
    .sinkTo(sink);
  stream
    .window(EventTimeSessionWindows.withGap(300))
    .aggregate(count, (k, ctx, r, out) =>
      out.collect(`session ${k} ${ctx.window.start}-${ctx.window.end} ${r[0]}`),
    )
    .sinkTo(sink);
  await env.execute('equivalence');
  return sink.values.slice().sort();
}

test('a keyed job gives the same results at parallelism 1 and 4', async () => {
  const p1 = await keyedJob(1);
  assert.ok(p1.length > 100);
  assert.equal(await keyedJob(4), p1);
});

test('count windows fire every n elements per key; a partial count does not fire', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
  const sink = new CollectSink<string>();
  env
    .fromCollection(['a1', 'b1', 'a2', 'a3', 'b2', 'a4', 'b3', 'a5', 'a6', 'a7'])
    .setParallelism(1) // one reader: the order within a key is the input order
    .keyBy((s) => s[0]!)
    .countWindow(3)
    .process((key, _ctx, elements, out) => out.collect(`${key}:${elements.join(',')}`))
    .sinkTo(sink);
  await env.execute();
  assert.equal(sink.values.slice().sort(), ['a:a1,a2,a3', 'a:a4,a5,a6', 'b:b1,b2,b3']);
});

test('processing-time windows are flushed when a bounded input ends', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const sink = new CollectSink<number>();
  env
    .fromCollection(['x', 'y', 'x'])
    .keyBy((s) => s)
    .window(TumblingProcessingTimeWindows.of(Time.hours(1)))
    .aggregate({
      createAccumulator: () => 0,
      add: (_s, a: number) => a + 1,
      getResult: (a) => a,
      merge: (a, b) => a + b,
    })
    .sinkTo(sink);
  await env.execute();
  assert.equal(sink.values.slice().sort(), [1, 2]);
});

test('rolling reduce emits the running value per key', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 3 });
  const sink = new CollectSink<[string, number]>();
  env
    .fromCollection<[string, number]>([
      ['a', 1],
      ['b', 10],
      ['a', 2],
      ['a', 3],
    ])
    .setParallelism(1)
    .keyBy((t) => t[0])
    .reduce((x, y) => [x[0], x[1] + y[1]])
    .sinkTo(sink);
  await env.execute();
  assert.equal(
    sink.values.filter((v) => v[0] === 'a'),
    [
      ['a', 1],
      ['a', 3],
      ['a', 6],
    ],
  );
  assert.equal(
    sink.values.filter((v) => v[0] === 'b'),
    [['b', 10]],
  );
});

test.run();
