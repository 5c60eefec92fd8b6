import assert from 'node:assert/strict';
import { test } from 'uvu';
import { StreamExecutionEnvironment } from '../api/execution-environment.ts';
import { CollectSink } from '../connectors/collect-sink.ts';
import { CollectionSource } from '../connectors/collection-source.ts';
import { WatermarkStrategy } from '../time/watermark-strategy.ts';
import { SlidingEventTimeWindows } from './sliding-windows.ts';
import { EventTimeTrigger } from './triggers.ts';

type E = { key: number; ts: number; v: number };

/** Out-of-order input: 3 keys, timestamps jittered by up to 300 ms, some records late by up to 2 s. */
function input(n: number): E[] {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: n }, (_, i) => ({
    key: i % 3,
    ts: i * 10 + Math.floor(rnd() * 300) - (rnd() < 0.05 ? 2000 : 0),
    v: Math.floor(rnd() * 100),
  }));
}

async function run(forceWindowOperator: boolean, counter: { adds: number }): Promise<string[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
  const sink = new CollectSink<string>();
  let windowed = env
    .fromSource(
      new CollectionSource(input(3000)),
      WatermarkStrategy.forBoundedOutOfOrderness<E>(300).withTimestampAssigner((e) => e.ts),
      'input',
    )
    .keyBy((e) => e.key)
    .window(SlidingEventTimeWindows.of(1000, 200));
  if (forceWindowOperator) windowed = windowed.trigger(EventTimeTrigger.create());
  windowed
    .aggregate(
      {
        createAccumulator: () => ({ sum: 0, n: 0, max: -1 }),
        add: (e: E, acc: { sum: number; n: number; max: number }) => {
          counter.adds++;
          acc.sum += e.v;
          acc.n++;
          acc.max = Math.max(acc.max, e.v);
          return acc;
        },
        getResult: (acc) => acc,
        merge: (a, b) => ({ sum: a.sum + b.sum, n: a.n + b.n, max: Math.max(a.max, b.max) }),
      },
      (key: number, ctx, results: readonly { sum: number; n: number; max: number }[], out) => {
        const r = results[0]!;
        out.collect(`${key} ${ctx.window.start}-${ctx.window.end} sum=${r.sum} n=${r.n} max=${r.max}`);
      },
    )
    .sinkTo(sink);
  await env.execute('panes');
  return sink.values.sort();
}

test('pane slicing gives exactly the results of the per-window operator, late records included', async () => {
  const panes = { adds: 0 };
  const windows = { adds: 0 };
  const a = await run(false, panes);
  const b = await run(true, windows);
  assert.ok(a.length > 400, `${a.length} windows`);
  assert.deepEqual(a, b);
  // Each record is added once (to its pane), not once per window (size/slide = 5).
  assert.ok(panes.adds <= 3000, `${panes.adds} adds`);
  assert.ok(windows.adds > 4 * panes.adds, `${windows.adds} vs ${panes.adds}`);
});

test.run();
