// Runs a Nexmark query in the local engine on the first `count` generated events and collects its output;
// `generated` gives the same events as a plain array, for the straightforward reference computations.
import type { NexmarkQuery } from '../../../runtime/bench/nexmark/queries/query.ts';
import {
  GeneratorConfig,
  type NexmarkConfig,
  type NexmarkEvent,
  NexmarkEventGenerator,
  NexmarkSource,
} from '../../../runtime/src/connectors/nexmark/index.ts';
import { CollectSink, StreamExecutionEnvironment } from '../../../runtime/src/index.ts';

/** 1,000 events per second of event time: 30,000 events span 30 s, three 10 s windows. */
export const TEST_CONFIG: Partial<NexmarkConfig> = { eventsPerSecond: 1000 };

export async function runQuery<R>(query: NexmarkQuery<R>, count: number, parallelism = 2): Promise<R[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism });
  const source = new NexmarkSource({ count, config: TEST_CONFIG });
  const sink = new CollectSink<R>();
  query(env.fromSource(source, source.watermarks(), 'nexmark')).sinkTo(sink);
  await env.execute('nexmark-test');
  return sink.values;
}

export function generated(count: number): NexmarkEvent[] {
  const g = new NexmarkEventGenerator(new GeneratorConfig(TEST_CONFIG));
  return Array.from({ length: count }, (_, i) => g.event(i));
}

/** A multiset of rows in a canonical order, for comparing outputs whatever their arrival order. */
export function canonical(rows: readonly unknown[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** The last row emitted per key: the final state of an updating (retracting) query. */
export function lastPerKey<R>(rows: readonly R[], key: (r: R) => unknown): Map<string, R> {
  const m = new Map<string, R>();
  for (const r of rows) m.set(JSON.stringify(key(r)), r);
  return m;
}
