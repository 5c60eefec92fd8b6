// The local-engine benchmark cases. Each builds a job on a bounded datagen source of `events` records.
import { StreamExecutionEnvironment } from '../src/api/execution-environment.ts';
import { DataGeneratorSource } from '../src/connectors/datagen-source.ts';
import { Time } from '../src/time/duration.ts';
import { WatermarkStrategy } from '../src/time/watermark-strategy.ts';
import { TumblingEventTimeWindows } from '../src/windowing/tumbling-windows.ts';
import { CountingSink } from './counting-sink.ts';

export type CaseResult = { records: number; outputs: number };

type Event = { id: number; key: number; value: number; ts: number };

function events(count: number): DataGeneratorSource<Event> {
  // 1,000 keys; 10 events per millisecond of event time, so a 1 s window holds 10 events per key.
  return new DataGeneratorSource<Event>(
    (i) => ({ id: i, key: i % 1000, value: i & 1023, ts: Math.floor(i / 10) }),
    {
      count,
    },
  );
}

export const CASES: Record<string, (count: number) => Promise<CaseResult>> = {
  /** datagen -> map -> filter, parallelism 1, all chained. */
  async 'stateless-chain'(count) {
    const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 1 });
    const sink = new CountingSink<number>();
    env
      .fromSource(events(count), undefined, 'datagen')
      .map((e) => e.value * 3)
      .filter((v) => v % 2 === 0)
      .sinkTo(sink);
    await env.execute('bench-stateless-chain');
    return { records: count, outputs: sink.count };
  },

  /** datagen -> keyBy -> 1 s tumbling event-time window count, parallelism 1. */
  async 'keyed-tumbling-count'(count) {
    const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 1 });
    const sink = new CountingSink<number>();
    env
      .fromSource(
        events(count),
        WatermarkStrategy.forMonotonousTimestamps<Event>().withTimestampAssigner((e) => e.ts),
        'datagen',
      )
      .keyBy((e) => e.key)
      .window(TumblingEventTimeWindows.of(Time.seconds(1)))
      .aggregate({
        createAccumulator: () => 0,
        add: (_e, acc: number) => acc + 1,
        getResult: (acc) => acc,
        merge: (a, b) => a + b,
      })
      .sinkTo(sink);
    await env.execute('bench-keyed-tumbling-count');
    return { records: count, outputs: sink.count };
  },
};
