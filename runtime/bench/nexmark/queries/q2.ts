// q2 selection: the bids of every 123rd auction.
import type { NexmarkQuery } from './query.ts';

export type Q2Row = { auction: number; price: number };

export const q2: NexmarkQuery<Q2Row> = (events) =>
  // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
  events.flatMap<Q2Row>((e, out) => {
    if (e.kind === 'bid' && e.auction % 123 === 0) out.collect({ auction: e.auction, price: e.price });
  });
