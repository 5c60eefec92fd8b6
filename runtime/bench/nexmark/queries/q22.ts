// q22 URL directories: the 4th, 5th and 6th '/'-separated parts of the url (SPLIT_INDEX(url, '/', 3..5)).
import type { NexmarkQuery } from './query.ts';

export type Q22Row = {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  dir1: string | null;
  dir2: string | null;
  dir3: string | null;
};

export const q22: NexmarkQuery<Q22Row> = (events) =>
  // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
  events.flatMap<Q22Row>((e, out) => {
    if (e.kind !== 'bid') return;
    const parts = e.url.split('/');
    out.collect({
      auction: e.auction,
      bidder: e.bidder,
      price: e.price,
      channel: e.channel,
      dir1: parts[3] ?? null,
      dir2: parts[4] ?? null,
      dir3: parts[5] ?? null,
    });
  });
