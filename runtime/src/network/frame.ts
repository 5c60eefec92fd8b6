// Frames of the data protocol. One TCP connection per (producer endpoint, consumer endpoint) carries many
// logical channels, each named once by a HELLO and then by a number the producer assigned:
//   frame  = [u32 BE bodyLength][u8 type][u32 BE channel][payload]      bodyLength = 5 + payload length
//   HELLO  producer → consumer  payload = msgpack { version, channelId, producer: "host:port" }
//   DATA   producer → consumer  payload = one encoded buffer (buffer-codec.ts), sent only against credit
//   CREDIT consumer → producer  payload = [u32 BE n]: room for n more buffers on the channel
//   CLOSE  either way           payload empty: the sender released the channel
import { Packr } from 'msgpackr';

export const FRAME_TYPES = { HELLO: 1, DATA: 2, CREDIT: 3, CLOSE: 4 } as const;
export type FrameType = (typeof FRAME_TYPES)[keyof typeof FRAME_TYPES];

export const PROTOCOL_VERSION = 1;
export const FRAME_HEADER_BYTES = 9;
/** Larger frames are refused as corrupt: a record batch of that size would be a bug upstream. */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

export type Frame = { type: number; channel: number; payload: Uint8Array };
export type Hello = { version: number; channelId: string; producer: string };

const packr = new Packr({ useRecords: false });
const EMPTY = new Uint8Array(0);

export function frameHeader(type: FrameType, channel: number, payloadBytes: number): Uint8Array {
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, 5 + payloadBytes);
  header[4] = type;
  view.setUint32(5, channel);
  return header;
}

/** A whole frame in one array, for small control frames. */
export function encodeFrame(type: FrameType, channel: number, payload: Uint8Array = EMPTY): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  frame.set(frameHeader(type, channel, payload.length), 0);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

export function encodeHello(hello: Hello): Uint8Array {
  return packr.pack(hello);
}

export function decodeHello(payload: Uint8Array): Hello {
  const hello = packr.unpack(payload) as Hello;
  if (hello.version !== PROTOCOL_VERSION) {
    throw new Error(
      `data protocol version ${hello.version} from ${hello.producer}, expected ${PROTOCOL_VERSION}`,
    );
  }
  return hello;
}

export function encodeCredit(n: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, n);
  return payload;
}

export function decodeCredit(payload: Uint8Array): number {
  return new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint32(0);
}
