// Timers beyond the basics: processing time in a running job driven by a manual clock (env config `clock`),
// timers registered behind the watermark, timers registered from onTimer, tuple keys in onTimer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CollectSink,
  type KeyedProcessFunction,
  ManualProcessingTimeService,
  type ReaderOutput,
  type Source,
  type SourceReader,
  StreamExecutionEnvironment,
  TumblingProcessingTimeWindows,
} from '../../runtime/src/index.ts';
import { KeyedProcessOperator } from '../../runtime/src/operators/keyed-process-operator.ts';
import { OperatorHarness } from './harness/operator-harness.ts';

/** An unbounded source the test feeds by hand. */
class QueueSource<T> implements Source<T> {
  readonly boundedness = 'unbounded' as const;
  readonly queue: T[] = [];
  #wake: (() => void) | undefined;

  push(...values: T[]): void {
    this.queue.push(...values);
    this.#wake?.();
  }

  createReader(): SourceReader<T> {
    return {
      pollNext: (out: ReaderOutput<T>) => {
        const v = this.queue.shift();
        if (v === undefined) return 'nothing-available';
        out.collect(v);
        return this.queue.length > 0 ? 'more-available' : 'nothing-available';
      },
      isAvailable: () =>
        new Promise<void>((resolve) => {
          this.#wake = resolve;
          if (this.queue.length > 0) resolve();
        }),
      snapshotState: () => [],
      close() {},
    };
  }
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 50));

test('processing-time timers in a job fire when the manual clock reaches them, once per key and time', async () => {
  const clock = new ManualProcessingTimeService(1000);
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ clock, parallelism: 2 });
  const source = new QueueSource<string>();
  const sink = new CollectSink<string>();
  env
    .fromSource(source, undefined, 'queue')
    .setParallelism(1)
    .keyBy((x) => x)
    .process({
      processElement(_v, ctx) {
        const timers = ctx.timerService();
        timers.registerProcessingTimeTimer(timers.currentProcessingTime() + 50);
      },
      onTimer(ts, ctx, out) {
        out.collect(`${ctx.getCurrentKey()}@${ts}:${ctx.timeDomain()}`);
      },
    } as KeyedProcessFunction<string, string, string>)
    .sinkTo(sink)
    .setParallelism(1);
  const job = env.executeAsync('processing-time-timers');
  try {
    source.push('a', 'b', 'a'); // clock 1000: timers a@1050 (twice: one timer), b@1050
    await settle();
    clock.advanceTo(1049); // not yet
    await settle();
    assert.equal(sink.values, []);
    clock.advanceTo(1050);
    await until(() => sink.values.length >= 2);
    await settle();
    assert.equal(sink.values.slice().sort(), ['a@1050:processing-time', 'b@1050:processing-time']);
  } finally {
    await job.cancel();
  }
});

test('processing-time tumbling windows in a job fire as the manual clock passes their end', async () => {
  const clock = new ManualProcessingTimeService(1000);
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ clock });
  const source = new QueueSource<string>();
  const sink = new CollectSink<string>();
  env
    .fromSource(source, undefined, 'queue')
    .keyBy((x) => x)
    .window(TumblingProcessingTimeWindows.of(100))
    .process((k, ctx, els, out) => out.collect(`${k} [${ctx.window.start},${ctx.window.end}) ${els.length}`))
    .sinkTo(sink);
  const job = env.executeAsync('processing-time-windows');
  try {
    source.push('a', 'b', 'a'); // arrive at 1000: window [1000,1100), maxTimestamp 1099
    await settle();
    clock.advanceTo(1099);
    await until(() => sink.values.length >= 2);
    assert.equal(sink.values.slice().sort(), ['a [1000,1100) 2', 'b [1000,1100) 1']);
    // The clock still reads 1099, and processing-time windows are assigned by the clock: the new element
    // opens [1000,1100) anew (the old one was cleaned up), and fires at the next clock move (1099 <= 1150).
    source.push('a');
    await settle();
    clock.advanceTo(1150);
    await until(() => sink.values.length >= 3);
    assert.equal(sink.values[2], 'a [1000,1100) 1');
  } finally {
    await job.cancel();
  }
});

function harness(fn: KeyedProcessFunction<string, string, string>) {
  return new OperatorHarness<string, string>(new KeyedProcessOperator(fn), { keyOf: () => 'k' }).open();
}

test('an event-time timer registered behind the watermark fires at the next watermark', async () => {
  const h = await harness({
    processElement(v, ctx) {
      ctx.timerService().registerEventTimeTimer(Number(v));
    },
    onTimer(ts, ctx, out) {
      out.collect(`t${ts} wm=${ctx.timerService().currentWatermark()} ts=${ctx.timestamp()}`);
    },
  });
  h.watermark(10).element('5', 11); // timer 5 is already behind wm 10: not fired during processElement
  assert.equal(h.take(), []);
  h.watermark(11); // the next watermark fires it; the output carries the timer's timestamp
  assert.equal(h.take(), ['t5 wm=11 ts=5']);
});

test('timers registered in onTimer at or below the watermark fire in the same advance, in order', async () => {
  const h = await harness({
    processElement(v, ctx) {
      ctx.timerService().registerEventTimeTimer(Number(v));
    },
    onTimer(ts, ctx, out) {
      out.collect(`t${ts}`);
      if (ts === 20) ctx.timerService().registerEventTimeTimer(25); // <= 30: fires now, after 21
      if (ts === 21) ctx.timerService().registerEventTimeTimer(100); // > 30: waits
      if (ts === 25) ctx.timerService().deleteEventTimeTimer(100); // and is deleted again
    },
  });
  h.element('21', 1).element('20', 1).watermark(30);
  assert.equal(h.take(), ['t20', 't21', 't25']);
  h.watermark(1000);
  assert.equal(h.take(), [], 'timer 100 was deleted');
});

test('timers of different keys at one timestamp each fire once, with their own key', async () => {
  const h = await new OperatorHarness<[string, number], string>(
    new KeyedProcessOperator<[string, number], [string, number], string>({
      processElement(_v, ctx) {
        ctx.timerService().registerEventTimeTimer(5);
      },
      onTimer(ts, ctx, out) {
        out.collect(`${JSON.stringify(ctx.getCurrentKey())}@${ts}`);
      },
    }),
    { keyOf: (v) => v },
  ).open();
  h.element(['a', 1], 1).element(['b', 2], 1).element(['a', 1], 2).watermark(10);
  // tuple keys come back as tuples; ['a',1] registered twice: one timer
  assert.equal(h.take().sort(), ['["a",1]@5', '["b",2]@5']);
});

test('a deleted processing-time timer does not fire; the remaining one does', async () => {
  const h = await harness({
    processElement(v, ctx) {
      const t = ctx.timerService();
      if (v === 'del') t.deleteProcessingTimeTimer(100);
      else t.registerProcessingTimeTimer(Number(v));
    },
    onTimer(ts, _ctx, out) {
      out.collect(`p${ts}`);
    },
  });
  h.element('100', 0).element('200', 0).element('del', 0);
  h.clock.advanceTo(150);
  assert.equal(h.take(), []);
  h.clock.advanceTo(200);
  assert.equal(h.take(), ['p200']);
});

test.run();
