// The Nexmark benchmark job: generator → query → measuring sink. Used by the local and the cluster runs.
// Args: <query> <result prefix> <events> <rate: 0 = as fast as possible> <base time ms>.
// With a rate, event time advances at that rate from the base time and events are emitted on the wall
// clock at their event time (paced), so the sink can measure latency.
import { NexmarkSource } from '../../src/connectors/nexmark/index.ts';
import type { StreamExecutionEnvironment } from '../../src/index.ts';
import { MeasuringSink } from './measuring-sink.ts';
import { QUERIES } from './queries/index.ts';

/** The first second of event time of a paced run is warm-up: its latencies are not counted. */
const WARM_UP_MS = 1000;

export default function nexmarkJob(env: StreamExecutionEnvironment, args: string[]): void {
  const [name = '', prefix, events = '1000000', rate = '0', baseTime = '0'] = args;
  const query = QUERIES[name];
  if (query === undefined)
    throw new Error(`unknown Nexmark query "${name}"; known: ${Object.keys(QUERIES).join(', ')}`);
  if (prefix === undefined) throw new Error('nexmark-job: pass the result file prefix');
  const paced = Number(rate) > 0;
  const source = new NexmarkSource({
    count: Number(events),
    paced,
    config: paced ? { eventsPerSecond: Number(rate), baseTime: Number(baseTime) } : {},
  });
  query(env.fromSource(source, source.watermarks(), 'nexmark'))
    .sinkTo(new MeasuringSink(prefix, paced, Number(baseTime) + WARM_UP_MS))
    .name('measuring-sink');
}
