import { isDeepStrictEqual } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Buffer as StreamBuffer } from '../execution/buffer.ts';
import { decodeBuffer, encodeBuffer } from './buffer-codec.ts';

function roundTrip(buffers: StreamBuffer[]): StreamBuffer[] {
  return buffers.map((b) => decodeBuffer(encodeBuffer(b)));
}

test('events round-trip', () => {
  const events: StreamBuffer[] = [
    { kind: 'watermark', watermark: 1_764_000_000_123 },
    { kind: 'watermark', watermark: Number.NEGATIVE_INFINITY },
    { kind: 'status', idle: true },
    { kind: 'status', idle: false },
    { kind: 'barrier', checkpointId: 42, timestamp: 1_764_000_000_999 },
    { kind: 'end' },
  ];
  assert.equal(roundTrip(events), events);
});

test('record batches round-trip values and timestamps, and drop keys', () => {
  const values: unknown[] = [
    { id: 1, account: 'acc-1', amount: 12.5, currency: 'EUR', timestamp: 1_764_000_000_000 },
    { id: 2, account: 'acc-2', amount: -0.01, currency: 'USD', timestamp: 1_764_000_000_001 },
    NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    2 ** 53,
    0.1,
    'héllo ✓',
    '',
    true,
    false,
    null,
    undefined,
    [1, [2, ['x']]],
    { nested: { a: [1, { b: null }] }, missing: undefined },
    12345678901234567890n,
    -5n,
    new Date(5),
    new Map([['k', 1]]),
    new Set([1, 2]),
  ];
  const timestamps = values.map((_, i) => (i === 0 ? Number.NEGATIVE_INFINITY : 1_764_000_000_000 + i));
  const [out] = roundTrip([{ kind: 'records', values, timestamps, keys: [] }]);
  assert.is(out!.kind, 'records');
  if (out!.kind !== 'records') return;
  assert.is(out.keys, undefined);
  assert.equal(out.timestamps, timestamps);
  assert.is(out.values.length, values.length);
  for (let i = 0; i < values.length; i++) {
    const a = out.values[i];
    assert.ok(Object.is(a, values[i]) || isDeepStrictEqual(a, values[i]), `value ${i}: ${String(a)}`);
  }
});

test('-0 decodes as 0 (documented limitation of the value codec)', () => {
  const [out] = roundTrip([{ kind: 'records', values: [-0], timestamps: [0], keys: undefined }]);
  assert.ok(out!.kind === 'records' && Object.is(out.values[0], 0));
});

test('each encoded batch decodes alone, in any order, even with many object shapes', () => {
  const batches: StreamBuffer[] = [];
  for (let b = 0; b < 300; b++) {
    const values = Array.from({ length: 3 }, (_, i) => ({ [`field${b}`]: b, [`other${i}`]: i, common: 'x' }));
    batches.push({ kind: 'records', values, timestamps: [b, b, b], keys: undefined });
    if (b % 50 === 0) batches.push({ kind: 'watermark', watermark: b });
  }
  const encoded = batches.map(encodeBuffer);
  const out = encoded.reverse().map(decodeBuffer).reverse();
  assert.equal(
    out.map((b) => (b.kind === 'records' ? { ...b, keys: undefined } : b)),
    batches,
  );
});

test('an unknown event tag is refused with a clear message', () => {
  assert.throws(() => decodeBuffer(new Uint8Array([200, 0x80])), /unknown event tag 200/);
});

test.run();
