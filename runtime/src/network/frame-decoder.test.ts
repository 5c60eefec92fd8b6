import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeFrame, FRAME_TYPES, type Frame } from './frame.ts';
import { FrameDecoder } from './frame-decoder.ts';

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

const frames = [
  { type: FRAME_TYPES.HELLO, channel: 0, payload: bytes(3, 1) },
  { type: FRAME_TYPES.DATA, channel: 7, payload: bytes(0, 2) },
  { type: FRAME_TYPES.CREDIT, channel: 0xffffffff, payload: bytes(4, 3) },
  { type: FRAME_TYPES.DATA, channel: 1, payload: bytes(1, 4) },
  { type: FRAME_TYPES.CLOSE, channel: 2, payload: bytes(0, 5) },
];
const stream = concat(frames.map((f) => encodeFrame(f.type, f.channel, f.payload)));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function plain(fs: Frame[]) {
  return fs.map((f) => ({ type: f.type, channel: f.channel, payload: [...f.payload] }));
}

test('decodes coalesced frames from one chunk', () => {
  assert.equal(plain(new FrameDecoder().push(stream)), plain(frames));
});

test('decodes the stream split into two chunks at every byte boundary', () => {
  for (let cut = 0; cut <= stream.length; cut++) {
    const d = new FrameDecoder();
    const got = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
    assert.equal(plain(got), plain(frames), `cut at ${cut}`);
  }
});

test('decodes the stream split into three chunks at every pair of boundaries', () => {
  for (let a = 0; a <= stream.length; a++) {
    for (let b = a; b <= stream.length; b++) {
      const d = new FrameDecoder();
      const got = [
        ...d.push(stream.subarray(0, a)),
        ...d.push(stream.subarray(a, b)),
        ...d.push(stream.subarray(b)),
      ];
      assert.equal(got.length, frames.length, `cuts at ${a}, ${b}`);
    }
  }
});

test('decodes the stream fed one byte at a time', () => {
  const d = new FrameDecoder();
  const got: Frame[] = [];
  for (let i = 0; i < stream.length; i++) got.push(...d.push(stream.subarray(i, i + 1)));
  assert.equal(plain(got), plain(frames));
});

test('reassembles a huge frame from 64 KiB chunks, with small frames around it', () => {
  const huge = bytes(5 * 1024 * 1024 + 3, 9);
  const all = concat([
    encodeFrame(FRAME_TYPES.DATA, 1, bytes(10, 1)),
    encodeFrame(FRAME_TYPES.DATA, 2, huge),
    encodeFrame(FRAME_TYPES.DATA, 3, bytes(10, 2)),
  ]);
  const d = new FrameDecoder();
  const got: Frame[] = [];
  for (let at = 0; at < all.length; at += 65536) got.push(...d.push(all.subarray(at, at + 65536)));
  assert.equal(
    got.map((f) => f.channel),
    [1, 2, 3],
  );
  assert.ok(Buffer.from(got[1]!.payload).equals(huge));
});

test('keeps no view into a chunk the socket may reuse (Buffer#slice is a view, not a copy)', () => {
  const d = new FrameDecoder();
  const chunk = Buffer.from(stream);
  const cut = stream.length - 3;
  const got = d.push(chunk.subarray(0, cut));
  const kept = plain(got);
  chunk.fill(0xee); // Node reuses the memory of socket reads
  const rest = Buffer.from(stream.subarray(cut));
  assert.equal([...kept, ...plain(d.push(rest))], plain(frames));
});

test('refuses a corrupt frame length', () => {
  const bad = new Uint8Array([0xff, 0xff, 0xff, 0xff, 1]);
  assert.throws(() => new FrameDecoder().push(bad), /corrupt data stream/);
});

test.run();
