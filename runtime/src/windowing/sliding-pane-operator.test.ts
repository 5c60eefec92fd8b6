import assert from 'node:assert/strict';
import { test } from 'uvu';
import { SlidingEventTimeWindows } from './sliding-windows.ts';
import { aggregateWindows, jitteredInput } from './window-equivalence-kit.ts';

function run(forceWindowOperator: boolean, counter: { adds: number }): Promise<string[]> {
  return aggregateWindows(
    jitteredInput(3000),
    SlidingEventTimeWindows.of(1000, 200),
    forceWindowOperator,
    counter,
  );
}

test('pane slicing gives exactly the results of the per-window operator, late records included', async () => {
  const panes = { adds: 0 };
  const windows = { adds: 0 };
  const a = await run(false, panes);
  const b = await run(true, windows);
  assert.ok(a.length > 400, `${a.length} windows`);
  assert.deepEqual(a, b);
  // Each record is added once (to its pane), not once per window (size/slide = 5).
  assert.ok(panes.adds <= 3000, `${panes.adds} adds`);
  assert.ok(windows.adds > 4 * panes.adds, `${windows.adds} vs ${panes.adds}`);
});

test.run();
