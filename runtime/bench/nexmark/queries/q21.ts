// q21 add channel id: the channel's id, from a fixed table for the four big channels or from the url's
// channel_id parameter (REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)); bids without one are dropped.
import type { NexmarkQuery } from './query.ts';

export type Q21Row = { auction: number; bidder: number; price: number; channel: string; channelId: string };

const KNOWN: Record<string, string> = { apple: '0', google: '1', facebook: '2', baidu: '3' };
const PARAM = 'channel_id=';

/** The id of one of the four channels (compared case-insensitively), or undefined. */
function knownChannelId(c: string): string | undefined {
  // The usual spellings first (a pointer comparison for the generator's constants), then any other case.
  if (c === 'Apple') return '0';
  if (c === 'Google') return '1';
  if (c === 'Facebook') return '2';
  if (c === 'Baidu') return '3';
  return c.length === 5 || c.length === 6 || c.length === 8 ? KNOWN[c.toLowerCase()] : undefined;
}

/** REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) without a regular expression. */
export function channelIdOf(url: string): string | undefined {
  let at = url.indexOf(PARAM);
  while (at > 0 && url.charCodeAt(at - 1) !== 38 /* & */) at = url.indexOf(PARAM, at + 1);
  if (at < 0) return undefined;
  const from = at + PARAM.length;
  const end = url.indexOf('&', from);
  return end < 0 ? url.slice(from) : url.slice(from, end);
}

export const q21: NexmarkQuery<Q21Row> = (events) =>
  // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
  events.flatMap<Q21Row>((e, out) => {
    if (e.kind !== 'bid') return;
    const known = knownChannelId(e.channel);
    const channelId = known ?? channelIdOf(e.url);
    if (channelId === undefined) return;
    out.collect({ auction: e.auction, bidder: e.bidder, price: e.price, channel: e.channel, channelId });
  });
