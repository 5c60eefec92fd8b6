import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Collector } from '../../runtime/src/api/collector.ts';
import {
  type ProcessWindowContext,
  toProcessWindowFunction,
} from '../../runtime/src/api/process-window-function.ts';
import { CollectSink, StreamExecutionEnvironment, valueState } from '../../runtime/src/index.ts';
import type { ValueState } from '../../runtime/src/state/keyed-state.ts';
import { EventTimeSessionWindows } from '../../runtime/src/windowing/session-windows.ts';
import { SlidingEventTimeWindows } from '../../runtime/src/windowing/sliding-windows.ts';
import type { TimeWindow } from '../../runtime/src/windowing/window.ts';
import { WindowOperator } from '../../runtime/src/windowing/window-operator.ts';
import { OperatorHarness } from './harness/operator-harness.ts';
import { countingWindow, type Ev } from './window-test-kit.ts';

test('sliding(10,4): 11 is not in [0,10), even right after an element at 8 (window cache keyed correctly)', async () => {
  const h = await countingWindow(SlidingEventTimeWindows.of(10, 4));
  // 8 -> lastStart 8: windows [8,18) [4,14) [0,10)  (0 > 8 - 10)
  // 11 -> lastStart 8: windows [8,18) [4,14) only   (0 > 11 - 10 is false)
  h.element({ key: 'a' }, 8).element({ key: 'a' }, 11).watermark(100);
  assert.equal(h.take(), ['a@0-10=1', 'a@4-14=2', 'a@8-18=2']);
});

test('per-window state is refused on merging (session) windows, as in Flink, with the fix named', async () => {
  const wf = toProcessWindowFunction<Ev, string, string, TimeWindow>({
    process(key: string, ctx: ProcessWindowContext<TimeWindow>, els: readonly Ev[], out: Collector<string>) {
      const fired: ValueState<number> = ctx.windowState.getState(valueState<number>('fired'));
      fired.update((fired.value() ?? 0) + 1);
      out.collect(`${key}@${ctx.window.start}-${ctx.window.end}=${els.length}`);
    },
  } as never);
  const op = new WindowOperator<Ev, unknown, string, string, TimeWindow>({
    assigner: EventTimeSessionWindows.withGap(10) as never,
    trigger: EventTimeSessionWindows.withGap(10).getDefaultTrigger() as never,
    contents: { kind: 'list' },
    windowFunction: wf as never,
    allowedLateness: 100,
    lateDataTag: undefined,
  });
  const h = await new OperatorHarness<Ev, string>(op as never, { keyOf: (e) => e.key }).open();
  assert.throws(
    () => h.element({ key: 'a' }, 0).watermark(9),
    /per-window state is not allowed with merging \(session\) windows; use globalState/,
  );
});

test('a throwing key selector fails with advice that works (onRecordError cannot cover a key selector)', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromCollection([1, 2, 3])
    .keyBy((x) => {
      if (x === 2) throw new Error('no key for 2');
      return x;
    })
    .reduce((a, b) => a + b)
    .name('R')
    .sinkTo(new CollectSink<number>());
  await env.execute().then(
    () => assert.unreachable(),
    (e: Error) => {
      assert.match(e.message, 'operator "keyBy -> R" failed on record 2');
      assert.match(e.message, 'the key selector must not throw');
      assert.not.match(e.message, "onRecordError('dead-letter') on that operator");
    },
  );
});

test.run();
