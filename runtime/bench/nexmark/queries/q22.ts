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

/** The index of the n-th '/' (1-based), or −1. */
function nthSlash(url: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = url.indexOf('/', at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** The text between the slash at `from` and the next one at `to` (−1: to the end); null without `from`. */
function part(url: string, from: number, to: number): string | null {
  if (from < 0) return null;
  return to < 0 ? url.slice(from + 1) : url.slice(from + 1, to);
}

export const q22: NexmarkQuery<Q22Row> = (events) =>
  // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
  events.flatMap<Q22Row>((e, out) => {
    if (e.kind !== 'bid') return;
    // SPLIT_INDEX(url, '/', 3), 4 and 5: the parts after the 3rd, 4th and 5th slash.
    const url = e.url;
    const s3 = nthSlash(url, 3);
    const s4 = s3 < 0 ? -1 : url.indexOf('/', s3 + 1);
    const s5 = s4 < 0 ? -1 : url.indexOf('/', s4 + 1);
    const s6 = s5 < 0 ? -1 : url.indexOf('/', s5 + 1);
    out.collect({
      auction: e.auction,
      bidder: e.bidder,
      price: e.price,
      channel: e.channel,
      dir1: part(url, s3, s4),
      dir2: part(url, s4, s5),
      dir3: part(url, s5, s6),
    });
  });
