// Channel events on the wire: a one-byte tag naming the kind, then the event's other fields as
// self-describing msgpack. A new event kind (a checkpoint barrier, say) needs only a new tag below: the
// `satisfies` clause fails to compile until every kind in buffer.ts has one.
import { Packr } from 'msgpackr';
import type { ChannelEvent } from '../execution/buffer.ts';

/** Tag 0 is a record batch (buffer-codec.ts); events use 1..255. Never reuse a retired tag. */
export const EVENT_TAGS = {
  watermark: 1,
  status: 2,
  end: 3,
  barrier: 4,
} as const satisfies Record<ChannelEvent['kind'], number>;

const KIND_BY_TAG = new Map<number, ChannelEvent['kind']>(
  Object.entries(EVENT_TAGS).map(([kind, tag]) => [tag, kind as ChannelEvent['kind']]),
);

const packr = new Packr({ useRecords: false, moreTypes: true });

export function encodeEvent(event: ChannelEvent): Uint8Array {
  const { kind, ...fields } = event;
  const body = packr.pack(fields);
  const out = new Uint8Array(1 + body.length);
  out[0] = EVENT_TAGS[kind];
  out.set(body, 1);
  return out;
}

export function decodeEvent(bytes: Uint8Array): ChannelEvent {
  const kind = KIND_BY_TAG.get(bytes[0]!);
  if (kind === undefined) {
    throw new Error(
      `unknown event tag ${bytes[0]} on the wire: do producer and consumer run the same Riffle?`,
    );
  }
  const fields = packr.unpack(bytes.subarray(1)) as object;
  return { kind, ...fields } as ChannelEvent;
}
