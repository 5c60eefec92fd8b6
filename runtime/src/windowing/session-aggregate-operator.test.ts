import assert from 'node:assert/strict';
import { test } from 'uvu';
import { StreamExecutionEnvironment } from '../api/execution-environment.ts';
import { CollectSink } from '../connectors/collect-sink.ts';
import { CollectionSource } from '../connectors/collection-source.ts';
import { WatermarkStrategy } from '../time/watermark-strategy.ts';
import { EventTimeSessionWindows } from './session-windows.ts';
import { EventTimeTrigger } from './triggers.ts';

type E = { key: number; ts: number; v: number };

/** Out-of-order input: 3 keys with gaps that open and bridge sessions, some records late by up to 2 s. */
function input(n: number): E[] {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: n }, (_, i) => ({
    key: i % 3,
    ts: i * 10 + Math.floor(rnd() * 300) + Math.floor(i / 50) * 200 - (rnd() < 0.05 ? 2000 : 0),
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
    .window(EventTimeSessionWindows.withGap(40));
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
  await env.execute('sessions');
  return sink.values.sort();
}

test('session aggregation gives exactly the results of the merging window operator, late records included', async () => {
  const a = await run(false, { adds: 0 });
  const b = await run(true, { adds: 0 });
  assert.ok(a.length > 50, `${a.length} sessions`);
  assert.ok(
    a.some((s) => !s.includes('n=1 ')),
    'sessions of several records',
  );
  assert.deepEqual(a, b);
});

test.run();
