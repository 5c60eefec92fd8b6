import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WatermarkStrategy } from '../../time/watermark-strategy.ts';
import { SplitWatermarks } from './split-watermarks.ts';

function recorder() {
  const events: string[] = [];
  return {
    events,
    out: {
      emitWatermark: (w: number) => events.push(`wm ${w}`),
      emitWatermarkStatus: (idle: boolean) => events.push(idle ? 'idle' : 'active'),
    },
  };
}

test('the watermark is the minimum over partitions and only moves forward', () => {
  const w = new SplitWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>(), () => 0);
  const r = recorder();
  w.addSplit('a');
  w.addSplit('b');
  w.onEvent('a', 1, 100);
  w.emitPeriodic(r.out);
  assert.equal(r.events, [], 'b has no watermark yet: nothing');
  w.onEvent('b', 1, 40);
  w.emitPeriodic(r.out);
  w.onEvent('a', 1, 200);
  w.emitPeriodic(r.out);
  w.onEvent('b', 1, 150);
  w.emitPeriodic(r.out);
  assert.equal(r.events, ['wm 39', 'wm 149']);
});

test('an idle partition does not hold the watermark back; all idle makes the reader idle', () => {
  let now = 0;
  const w = new SplitWatermarks(
    WatermarkStrategy.forMonotonousTimestamps<number>().withIdleness(1000),
    () => now,
  );
  const r = recorder();
  w.addSplit('a');
  w.addSplit('b');
  w.onEvent('a', 1, 100);
  w.onEvent('b', 1, 10);
  w.emitPeriodic(r.out);
  now = 800;
  w.onEvent('a', 1, 500);
  now = 1500; // b silent for 1500 ms, a for 700
  w.emitPeriodic(r.out);
  now = 3000;
  w.emitPeriodic(r.out);
  now = 3100;
  w.onEvent('b', 1, 900);
  w.emitPeriodic(r.out);
  assert.equal(r.events, ['wm 9', 'wm 499', 'idle', 'active', 'wm 899']);
});

test('a reader without partitions goes idle after the idle timeout, and never without one', () => {
  let now = 0;
  const withIdleness = new SplitWatermarks(
    WatermarkStrategy.forMonotonousTimestamps<number>().withIdleness(1000),
    () => now,
  );
  const plain = new SplitWatermarks(WatermarkStrategy.forMonotonousTimestamps<number>(), () => now);
  const a = recorder();
  const b = recorder();
  withIdleness.emitPeriodic(a.out);
  now = 1000;
  withIdleness.emitPeriodic(a.out);
  plain.emitPeriodic(b.out);
  assert.equal(a.events, ['idle']);
  assert.equal(b.events, []);
});

test('a timestamp assigner gives the event time; the Kafka timestamp otherwise', () => {
  const plain = new SplitWatermarks(WatermarkStrategy.forMonotonousTimestamps<{ t: number }>(), () => 0);
  plain.addSplit('a');
  assert.is(plain.onEvent('a', { t: 5 }, 77), 77);
  const assigned = new SplitWatermarks(
    WatermarkStrategy.forMonotonousTimestamps<{ t: number }>().withTimestampAssigner((e) => e.t),
    () => 0,
  );
  assigned.addSplit('a');
  assert.is(assigned.onEvent('a', { t: 5 }, 77), 5);
});

test.run();
