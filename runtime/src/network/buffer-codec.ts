// Buffers on the wire; each encoded buffer decodes on its own.
//   record batch: [u8 0][u32 LE count][count × f64 LE timestamp][values (value-codec.ts)]
//   event:        [u8 tag ≥ 1][fields (event-codec.ts)]
// Record batches drop their normalized keys: the consumer recomputes them from its key selector.
import type { Buffer as StreamBuffer } from '../execution/buffer.ts';
import { decodeEvent, encodeEvent } from './event-codec.ts';
import { decodeValues, encodeValues } from './value-codec.ts';

const RECORDS = 0;
const HEADER = 5;

export function encodeBuffer(buffer: StreamBuffer): Uint8Array {
  if (buffer.kind !== 'records') return encodeEvent(buffer);
  const { values, timestamps } = buffer;
  const n = values.length;
  const packed = encodeValues(values);
  const out = new Uint8Array(HEADER + 8 * n + packed.length);
  const view = new DataView(out.buffer);
  out[0] = RECORDS;
  view.setUint32(1, n, true);
  for (let i = 0; i < n; i++) view.setFloat64(HEADER + 8 * i, timestamps[i]!, true);
  out.set(packed, HEADER + 8 * n);
  return out;
}

export function decodeBuffer(bytes: Uint8Array): StreamBuffer {
  if (bytes[0] !== RECORDS) return decodeEvent(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(1, true);
  const timestamps = new Array<number>(n);
  for (let i = 0; i < n; i++) timestamps[i] = view.getFloat64(HEADER + 8 * i, true);
  const values = decodeValues(bytes.subarray(HEADER + 8 * n));
  if (values.length !== n) {
    throw new Error(`corrupt record batch: ${n} timestamps but ${values.length} values`);
  }
  return { kind: 'records', values, timestamps, keys: undefined };
}
