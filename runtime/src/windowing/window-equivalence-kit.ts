// Test kit: runs the same windowed aggregation over out-of-order input (3 keys, timestamps jittered by up to
// 300 ms, 5 % of records late by 2 s) with the specialized operator Riffle picks by default, or with the
// general WindowOperator (forced by setting a trigger), so tests can compare the two.
import { StreamExecutionEnvironment } from '../api/execution-environment.ts';
import { CollectSink } from '../connectors/collect-sink.ts';
import { CollectionSource } from '../connectors/collection-source.ts';
import { WatermarkStrategy } from '../time/watermark-strategy.ts';
import { EventTimeTrigger } from './triggers.ts';
import type { TimeWindow } from './window.ts';
import type { WindowAssigner } from './window-assigner.ts';

export type Event = { key: number; ts: number; v: number };

/** `n` events; `gapEvery` > 0 adds a 200 ms gap every that many events (sessions open and bridge). */
export function jitteredInput(n: number, gapEvery = 0): Event[] {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: n }, (_, i) => ({
    key: i % 3,
    ts:
      i * 10 +
      Math.floor(rnd() * 300) +
      (gapEvery > 0 ? Math.floor(i / gapEvery) * 200 : 0) -
      (rnd() < 0.05 ? 2000 : 0),
    v: Math.floor(rnd() * 100),
  }));
}

/** Sum, count and max per window, one line per window; `counter.adds` counts accumulator additions. */
export async function aggregateWindows(
  events: Event[],
  assigner: WindowAssigner<Event, TimeWindow>,
  forceWindowOperator: boolean,
  counter: { adds: number },
): Promise<string[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
  const sink = new CollectSink<string>();
  let windowed = env
    .fromSource(
      new CollectionSource(events),
      WatermarkStrategy.forBoundedOutOfOrderness<Event>(300).withTimestampAssigner((e) => e.ts),
      'input',
    )
    .keyBy((e) => e.key)
    .window(assigner);
  if (forceWindowOperator) windowed = windowed.trigger(EventTimeTrigger.create());
  windowed
    .aggregate(
      {
        createAccumulator: () => ({ sum: 0, n: 0, max: -1 }),
        add: (e: Event, acc: { sum: number; n: number; max: number }) => {
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
  await env.execute('window-equivalence');
  return sink.values.sort();
}
