import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CREDIT, creditPayload, DATA, encodeFrame, FrameDecoder, readCredit } from './frame-codec.ts';

test('frames survive being split at every byte and coalesced', () => {
  const a = encodeFrame(DATA, 'a/0/e0:0->1', new Uint8Array([1, 2, 3]));
  const b = encodeFrame(CREDIT, 'x', creditPayload(7));
  const c = encodeFrame(DATA, 'ü-channel', new Uint8Array(70_000).fill(9));
  const all = Buffer.concat([a, b, c]);
  for (const cut of [1, 2, 5, 7, 13, a.length, a.length + 3, all.length - 1]) {
    const d = new FrameDecoder();
    const frames = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))];
    assert.equal(
      frames.map((f) => [f.type, f.channelId, f.payload.length]),
      [
        [DATA, 'a/0/e0:0->1', 3],
        [CREDIT, 'x', 4],
        [DATA, 'ü-channel', 70_000],
      ],
      `cut at ${cut}`,
    );
    assert.is(readCredit(frames[1]!.payload), 7);
  }
  const d = new FrameDecoder();
  const frames = [];
  for (const byte of Buffer.concat([a, b])) frames.push(...d.push(Buffer.from([byte])));
  assert.is(frames.length, 2);
});

test.run();
