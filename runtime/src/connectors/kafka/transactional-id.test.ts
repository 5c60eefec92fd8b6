import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseTransactionalId, shouldAbortLingering, transactionalId } from './transactional-id.ts';

test('ids round-trip and foreign ids are not parsed', () => {
  assert.is(transactionalId('job-a', 2, 17), 'job-a-2-17');
  assert.equal(parseTransactionalId('job-a', 'job-a-2-17'), { subtask: 2, n: 17 });
  assert.is(parseTransactionalId('job-a', 'job-ab-2-17'), undefined);
  assert.is(parseTransactionalId('job-a', 'job-a-x-17'), undefined);
  assert.is(parseTransactionalId('job-a', 'other-2-17'), undefined);
});

const cases: [string, string, number, number, number | undefined, boolean][] = [
  ['fresh start: every open transaction of my subtask', 'p-1-5', 1, 2, undefined, true],
  ["fresh start: another subtask's transaction is not mine", 'p-0-5', 1, 2, undefined, false],
  ['restore from 7: a transaction opened after it', 'p-1-8', 1, 2, 7, true],
  ['restore from 7: one sealed at or before it belongs to the checkpoint', 'p-1-7', 1, 2, 7, false],
  ['rescale 4 -> 2: subtask 3 maps to subtask 1', 'p-3-9', 1, 2, 7, true],
  ['rescale 4 -> 2: subtask 2 maps to subtask 0', 'p-2-9', 1, 2, 7, false],
  ['another prefix', 'q-1-9', 1, 2, 7, false],
];

for (const [name, id, subtask, parallelism, restored, want] of cases) {
  test(name, () => assert.is(shouldAbortLingering('p', id, subtask, parallelism, restored), want));
}

test.run();
