import assert from 'node:assert/strict';
import { test } from 'uvu';
import { EventTimeSessionWindows } from './session-windows.ts';
import { aggregateWindows, jitteredInput } from './window-equivalence-kit.ts';

function run(forceWindowOperator: boolean, counter: { adds: number }): Promise<string[]> {
  return aggregateWindows(
    jitteredInput(3000, 50),
    EventTimeSessionWindows.withGap(40),
    forceWindowOperator,
    counter,
  );
}

test('session aggregation gives exactly the results of the merging window operator, late records included', async () => {
  const a = await run(false, { adds: 0 });
  const b = await run(true, { adds: 0 });
  assert.ok(a.length > 50, `${a.length} sessions`);
  assert.ok(
    a.some((s) => !s.includes('n=1 ')),
    'sessions of several records',
  );
  assert.deepEqual(a, b);
});

test.run();
