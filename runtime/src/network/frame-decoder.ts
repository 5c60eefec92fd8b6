// Cuts a TCP byte stream into frames (frame.ts), whatever the chunking: a frame split over many chunks, or
// many frames in one. Payloads are views into the chunks when a frame lies in one chunk (copy them to keep
// them); a frame spread over chunks is joined once, when its last byte arrives.
import { FRAME_HEADER_BYTES, type Frame, MAX_FRAME_BYTES } from './frame.ts';

export class FrameDecoder {
  /** Chunks of an incomplete frame, and their total length. */
  #parts: Uint8Array[] = [];
  #partBytes = 0;
  /** Length of the frame being assembled (header included), or 0 while its length is still unknown. */
  #needed = 0;

  /** Feeds one chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    let data = chunk;
    if (this.#partBytes > 0) {
      data = this.#joinPending(chunk, frames);
      if (data.length === 0) return frames;
    }
    let offset = 0;
    while (data.length - offset >= 4) {
      const view = new DataView(data.buffer, data.byteOffset + offset, data.length - offset);
      const total = 4 + this.#checkLength(view.getUint32(0));
      if (data.length - offset < total) break;
      frames.push(readFrame(data, offset, view));
      offset += total;
    }
    if (offset < data.length) this.#keep(data.subarray(offset));
    return frames;
  }

  /** Completes the pending frame with the start of `chunk`; returns what is left of the chunk. */
  #joinPending(chunk: Uint8Array, frames: Frame[]): Uint8Array {
    if (this.#needed === 0) {
      // Not even the length prefix yet: take just enough bytes to read it.
      const take = Math.min(chunk.length, 4 - this.#partBytes);
      this.#parts.push(chunk.subarray(0, take));
      this.#partBytes += take;
      chunk = chunk.subarray(take);
      if (this.#partBytes < 4) return chunk;
      const prefix = concat(this.#parts, 4);
      this.#needed = 4 + this.#checkLength(new DataView(prefix.buffer).getUint32(0));
      this.#parts = [prefix];
    }
    const take = Math.min(chunk.length, this.#needed - this.#partBytes);
    this.#parts.push(chunk.subarray(0, take));
    this.#partBytes += take;
    if (this.#partBytes < this.#needed) return chunk.subarray(take); // took the whole chunk
    const frame = concat(this.#parts, this.#needed);
    frames.push(readFrame(frame, 0, new DataView(frame.buffer)));
    this.#parts = [];
    this.#partBytes = 0;
    this.#needed = 0;
    return chunk.subarray(take);
  }

  #keep(rest: Uint8Array): void {
    this.#parts = [Uint8Array.prototype.slice.call(rest)]; // a copy: Buffer#slice would be a view
    this.#partBytes = rest.length;
    const view = new DataView(this.#parts[0]!.buffer);
    this.#needed = rest.length >= 4 ? 4 + this.#checkLength(view.getUint32(0)) : 0;
  }

  #checkLength(bodyLength: number): number {
    if (bodyLength < FRAME_HEADER_BYTES - 4 || bodyLength > MAX_FRAME_BYTES) {
      throw new Error(`corrupt data stream: frame length ${bodyLength}`);
    }
    return bodyLength;
  }
}

function readFrame(data: Uint8Array, offset: number, view: DataView): Frame {
  const total = 4 + view.getUint32(0);
  return {
    type: data[offset + 4]!,
    channel: view.getUint32(5),
    payload: data.subarray(offset + FRAME_HEADER_BYTES, offset + total),
  };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
