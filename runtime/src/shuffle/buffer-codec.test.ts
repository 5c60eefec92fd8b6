import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBuffer, encodeBuffer } from './buffer-codec.ts';

test('record batches and events round-trip', () => {
  const values = [{ id: 'tx-1', amount: 10.5, n: null, tags: ['a'], big: 12n }, 'text', 42, -0.5, true];
  const timestamps = [1, 2, Number.NEGATIVE_INFINITY, 4, 5];
  assert.equal(decodeBuffer(encodeBuffer({ kind: 'records', values, timestamps, keys: ['x'] })), {
    kind: 'records',
    values,
    timestamps,
    keys: undefined,
  });
  for (const e of [
    { kind: 'watermark', watermark: Number.POSITIVE_INFINITY },
    { kind: 'status', idle: true },
    { kind: 'end' },
  ] as const) {
    assert.equal(decodeBuffer(encodeBuffer(e)), e);
  }
});

test.run();
