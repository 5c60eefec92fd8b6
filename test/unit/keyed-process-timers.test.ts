// Keyed process functions: event-time and processing-time timers per key, deduplicated per key and
// timestamp, deletable; processing time driven by a manual clock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KeyedProcessFunction } from '../../runtime/src/api/process-function.ts';
import { KeyedProcessOperator } from '../../runtime/src/operators/keyed-process-operator.ts';
import { OperatorHarness } from './harness/operator-harness.ts';

type In = { key: string; timer: number; kind?: 'event' | 'processing' | 'delete' };

function fn(): KeyedProcessFunction<string, In, string> {
  return {
    processElement(v, ctx) {
      const timers = ctx.timerService();
      if (v.kind === 'processing') timers.registerProcessingTimeTimer(v.timer);
      else if (v.kind === 'delete') timers.deleteEventTimeTimer(v.timer);
      else timers.registerEventTimeTimer(v.timer);
    },
    onTimer(ts, ctx, out) {
      out.collect(`${ctx.getCurrentKey()}:${ctx.timeDomain()}:${ts}`);
    },
  };
}

async function harness() {
  return new OperatorHarness<In, string>(new KeyedProcessOperator(fn()), { keyOf: (v) => v.key }).open();
}

test('event-time timers fire in timestamp order when the watermark passes them, once per key and timestamp', async () => {
  const h = await harness();
  h.element({ key: 'a', timer: 20 }, 1)
    .element({ key: 'a', timer: 10 }, 2)
    .element({ key: 'a', timer: 10 }, 3);
  h.element({ key: 'b', timer: 10 }, 4);
  h.watermark(9);
  assert.equal(h.take(), []);
  h.watermark(10);
  assert.equal(h.take(), ['a:event-time:10', 'b:event-time:10'], 'the duplicate a@10 fires once');
  assert.equal(h.output, []);
  h.watermark(25);
  assert.equal(h.take(), ['a:event-time:20']);
  assert.equal(h.watermarks, [9, 10, 25], 'watermarks are forwarded after the timers fire');
});

test('timer output carries the timer timestamp as its event time', async () => {
  const h = await harness();
  h.element({ key: 'a', timer: 42 }, 1).watermark(100);
  assert.equal(h.output, [{ value: 'a:event-time:42', timestamp: 42 }]);
});

test('a deleted timer does not fire', async () => {
  const h = await harness();
  h.element({ key: 'a', timer: 10 }, 1).element({ key: 'a', timer: 10, kind: 'delete' }, 2).watermark(50);
  assert.equal(h.take(), []);
});

test('processing-time timers fire when the clock reaches them, deduplicated', async () => {
  const h = await harness();
  h.element({ key: 'a', timer: 1000, kind: 'processing' }, 0);
  h.element({ key: 'a', timer: 1000, kind: 'processing' }, 0);
  h.element({ key: 'b', timer: 500, kind: 'processing' }, 0);
  h.clock.advanceTo(499);
  assert.equal(h.take(), []);
  h.clock.advanceTo(1000);
  assert.equal(h.take(), ['b:processing-time:500', 'a:processing-time:1000']);
  h.clock.advanceTo(5000);
  assert.equal(h.take(), []);
});

test.run();
