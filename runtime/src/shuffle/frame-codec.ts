// Frames on a data connection: [u32 length][u8 type][u16 id length][channel id][payload]. One connection
// carries many logical channels. The decoder handles frames split across or coalesced in TCP chunks.

export const DATA = 1;
export const CREDIT = 2;
export const HELLO = 3;

export type Frame = { type: number; channelId: string; payload: Uint8Array };

export function encodeFrame(type: number, channelId: string, payload: Uint8Array): Buffer {
  const id = Buffer.from(channelId, 'utf8');
  const frame = Buffer.allocUnsafe(4 + 1 + 2 + id.length + payload.length);
  frame.writeUInt32BE(1 + 2 + id.length + payload.length, 0);
  frame.writeUInt8(type, 4);
  frame.writeUInt16BE(id.length, 5);
  id.copy(frame, 7);
  frame.set(payload, 7 + id.length);
  return frame;
}

export function creditPayload(n: number): Uint8Array {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(n, 0);
  return b;
}

export function readCredit(payload: Uint8Array): number {
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).readUInt32BE(0);
}

export class FrameDecoder {
  #pending: Buffer = Buffer.alloc(0);

  /** Feeds a chunk; returns the complete frames it finished. */
  push(chunk: Buffer): Frame[] {
    let buf = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const frames: Frame[] = [];
    while (buf.length >= 4) {
      const len = buf.readUInt32BE(0);
      if (buf.length < 4 + len) break;
      const type = buf.readUInt8(4);
      const idLen = buf.readUInt16BE(5);
      const channelId = buf.toString('utf8', 7, 7 + idLen);
      const payload = buf.subarray(7 + idLen, 4 + len);
      frames.push({ type, channelId, payload });
      buf = buf.subarray(4 + len);
    }
    this.#pending = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
    return frames;
  }
}
