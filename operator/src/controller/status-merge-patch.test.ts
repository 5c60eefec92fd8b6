import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mergePatch } from './status-merge-patch.ts';

const mp = suite('status merge patch');

mp('nothing changed: no patch; changed, added and removed keys; arrays whole', () => {
  assert.is(mergePatch({ a: 1, b: { c: [1] } }, { a: 1, b: { c: [1] } }), undefined);
  assert.equal(
    mergePatch(
      { a: 1, b: { c: 2, d: 3 }, l: [1, 2] },
      { a: 2, b: { c: 2 }, l: [1], n: { x: undefined, y: 1 } },
    ),
    { a: 2, b: { d: null }, l: [1], n: { y: 1 } },
  );
  assert.equal(mergePatch({ upgrade: { phase: 'x' } }, {}), { upgrade: null });
  assert.is(
    mergePatch({ c: [{ a: 1, b: 2 }] }, { c: [{ b: 2, a: 1 }] }),
    undefined,
    'key order does not matter',
  );
});

mp.run();
