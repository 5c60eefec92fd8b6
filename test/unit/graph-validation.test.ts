// Invalid use of the API fails before any record flows (when the call is made or the graph is built), with
// a message that says what to change. Each row: what is wrong, the job, and a pattern the message must match.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CollectSink,
  CountTrigger,
  EventTimeSessionWindows,
  OutputTag,
  type ProcessFunction,
  SlidingEventTimeWindows,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  type ValueState,
  valueState,
} from '../../runtime/src/index.ts';

type Build = (env: StreamExecutionEnvironment) => void;
const sink = () => new CollectSink<unknown>();
const keyed = (env: StreamExecutionEnvironment) => env.fromElements(1, 2).keyBy((x) => x);

const rows: [string, Build, RegExp][] = [
  [
    'zero tumbling size',
    (env) => void keyed(env).window(TumblingEventTimeWindows.of(0)),
    /tumbling window size must be a positive duration, got 0 ms; e\.g\. Time\.minutes\(1\)/,
  ],
  ['negative tumbling size', (env) => void keyed(env).window(TumblingEventTimeWindows.of(-5)), /got -5 ms/],
  [
    'NaN tumbling size',
    (env) => void keyed(env).window(TumblingEventTimeWindows.of(Number.NaN)),
    /positive duration, got NaN/,
  ],
  [
    'tumbling offset as large as the size',
    (env) => void keyed(env).window(TumblingEventTimeWindows.of(10, 10)),
    /offset must be smaller than its size \(10 ms\)/,
  ],
  [
    'zero sliding slide',
    (env) => void keyed(env).window(SlidingEventTimeWindows.of(10, 0)),
    /sliding window slide must be a positive duration/,
  ],
  [
    'negative sliding size',
    (env) => void keyed(env).window(SlidingEventTimeWindows.of(-10, 5)),
    /sliding window size must be a positive duration/,
  ],
  [
    'zero session gap',
    (env) => void keyed(env).window(EventTimeSessionWindows.withGap(0)),
    /session window gap must be a positive duration/,
  ],
  [
    'zero count window',
    (env) => void keyed(env).countWindow(0),
    /countWindow size must be a positive integer, got 0/,
  ],
  [
    'fractional count window slide',
    (env) => void keyed(env).countWindow(5, 1.5),
    /countWindow slide must be a positive integer/,
  ],
  [
    'negative allowed lateness',
    (env) => void keyed(env).window(TumblingEventTimeWindows.of(10)).allowedLateness(-1),
    /allowedLateness must be >= 0, got -1 ms/,
  ],
  [
    'allowed lateness on processing-time windows',
    (env) => void keyed(env).window(TumblingProcessingTimeWindows.of(10)).allowedLateness(5),
    /allowedLateness applies to event-time windows only/,
  ],
  [
    'a non-merging trigger on session windows',
    (env) =>
      void keyed(env)
        .window(EventTimeSessionWindows.withGap(10))
        .trigger({ ...CountTrigger.of(2), canMerge: () => false, toString: () => 'NoMerge' } as never)
        .reduce((a) => a),
    /cannot be used with merging \(session\) windows/,
  ],
  [
    'CountTrigger of 0',
    () => void CountTrigger.of(0),
    /CountTrigger\.of\(n\) needs a positive integer count, got 0/,
  ],
  [
    'operator parallelism above maxParallelism',
    (env) =>
      void env
        .fromElements(1)
        .map((x) => x)
        .setParallelism(200),
    /got 200; lower the parallelism or raise maxParallelism/,
  ],
  [
    'operator parallelism 0',
    (env) =>
      void env
        .fromElements(1)
        .map((x) => x)
        .setParallelism(0),
    /parallelism must be an integer in \[1, maxParallelism=128\], got 0/,
  ],
  [
    'environment parallelism above maxParallelism',
    (env) => void env.setParallelism(129),
    /lower the parallelism or raise maxParallelism/,
  ],
  [
    'operator maxParallelism below its parallelism',
    (env) => {
      env
        .fromElements(1)
        .keyBy((x) => x)
        .reduce((a) => a)
        .setParallelism(8)
        .setMaxParallelism(4)
        .sinkTo(sink());
      env.getJobGraph();
    },
    /operator "Keyed Reduce": parallelism must be an integer in \[1, maxParallelism=4\], got 8/,
  ],
  [
    'a ProcessFunction with onTimer on a non-keyed stream',
    (env) =>
      void env
        .fromElements(1)
        .process({ processElement() {}, onTimer() {} } as ProcessFunction<number, number>),
    /timers only exist on keyed streams; call keyBy\(\.\.\.\) first and pass a KeyedProcessFunction/,
  ],
  [
    'a job without a sink',
    (env) => {
      env.fromElements(1).map((x) => x);
      env.getJobGraph();
    },
    /has no sink.*add one with stream\.sinkTo\(\.\.\.\)/,
  ],
  [
    'duplicate uids',
    (env) => {
      env
        .fromElements(1)
        .map((x) => x)
        .uid('parse')
        .map((x) => x)
        .uid('parse')
        .sinkTo(sink());
      env.getJobGraph();
    },
    /both have uid "parse"; uids must be unique/,
  ],
  [
    'a dead-letter policy without a consumer of DEAD_LETTER',
    (env) => {
      env
        .fromElements(1)
        .map((x) => x)
        .name('Parse')
        .onRecordError('dead-letter')
        .sinkTo(sink());
      env.getJobGraph();
    },
    /operator "Parse" sends failed records to its dead-letter output, but nothing reads it: add \.getSideOutput\(DEAD_LETTER\)\.sinkTo/,
  ],
  [
    'window(...) given something that is not an assigner',
    (env) => void keyed(env).window({} as never),
    /pass a WindowAssigner such as TumblingEventTimeWindows\.of/,
  ],
  ['map(...) given a non-function', (env) => void env.fromElements(1).map(42 as never), /map/],
  [
    'an empty name',
    (env) =>
      void env
        .fromElements(1)
        .map((x) => x)
        .name(''),
    /name\(\.\.\.\) needs a non-empty string/,
  ],
];

for (const [what, build, pattern] of rows) {
  test(`refused before running: ${what}`, () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    assert.throws(() => build(env), pattern);
  });
}

test('an empty job is refused by execute()', () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  assert.throws(() => env.executeAsync(), /the job is empty/);
});

test('maxParallelism above 32768 is refused', () => {
  assert.throws(
    () => StreamExecutionEnvironment.getExecutionEnvironment({ maxParallelism: 40_000 }),
    /maxParallelism must be an integer in \[1, 32768\]/,
  );
});

test('keyed state in a non-keyed ProcessFunction fails at open with advice (before any record)', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const seen: number[] = [];
  env
    .fromElements(1)
    .process(() => {
      let s: ValueState<number>;
      return {
        open(ctx) {
          s = ctx.getState(valueState<number>('n'));
        },
        processElement(v) {
          seen.push(v);
          s.update(v);
        },
      } as ProcessFunction<number, number>;
    })
    .sinkTo(sink());
  try {
    await env.execute();
    assert.unreachable('should fail');
  } catch (e) {
    assert.match(
      (e as Error).message,
      /keyed state or timers, which exist only on a keyed stream: call keyBy/,
    );
  }
  assert.equal(seen, []);
});

test('a side output nobody produces is harmless (it just stays empty)', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const s = env.fromElements(1).map((x) => x);
  const side = new CollectSink<number>();
  s.sinkTo(sink());
  s.getSideOutput(new OutputTag<number>('never')).sinkTo(side);
  await env.execute();
  assert.equal(side.values, []);
});

test.run();
