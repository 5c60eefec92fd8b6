// Buffers on the wire: msgpack (msgpackr) of a compact tuple. Record batches drop their keys: the receiver
// recomputes them from the key selector. See docs/adr/0002-record-codec.md for the measurements behind it.
import { Packr } from 'msgpackr';
import type { Buffer as StreamBuffer } from '../execution/buffer.ts';

// No shared record structures: each message is self-describing, so producer and consumer never have to
// agree on state beyond the protocol.
const packr = new Packr({ useRecords: false, moreTypes: true });

const RECORDS = 0;
const WATERMARK = 1;
const STATUS = 2;
const END = 3;
const BARRIER = 4;

export function encodeBuffer(b: StreamBuffer): Uint8Array {
  switch (b.kind) {
    case 'records':
      return packr.pack([RECORDS, b.values, b.timestamps]);
    case 'watermark':
      return packr.pack([WATERMARK, b.watermark]);
    case 'status':
      return packr.pack([STATUS, b.idle]);
    case 'end':
      return packr.pack([END]);
    case 'barrier':
      return packr.pack([BARRIER, b.checkpointId, b.timestamp]);
  }
}

export function decodeBuffer(bytes: Uint8Array): StreamBuffer {
  const t = packr.unpack(bytes) as [number, ...unknown[]];
  switch (t[0]) {
    case RECORDS:
      return { kind: 'records', values: t[1] as unknown[], timestamps: t[2] as number[], keys: undefined };
    case WATERMARK:
      return { kind: 'watermark', watermark: t[1] as number };
    case STATUS:
      return { kind: 'status', idle: t[1] as boolean };
    case END:
      return { kind: 'end' };
    case BARRIER:
      return { kind: 'barrier', checkpointId: t[1] as number, timestamp: t[2] as number };
    default:
      throw new Error(
        `unknown buffer type ${String(t[0])} on the wire: producer and consumer run different Riffle versions?`,
      );
  }
}
