// q21 add channel id: the channel's id, from a fixed table for the four big channels or from the url's
// channel_id parameter (REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)); bids without one are dropped.
import type { NexmarkQuery } from './query.ts';

export type Q21Row = { auction: number; bidder: number; price: number; channel: string; channelId: string };

const KNOWN: Record<string, string> = { apple: '0', google: '1', facebook: '2', baidu: '3' };
const CHANNEL_ID = /(&|^)channel_id=([^&]*)/;

export const q21: NexmarkQuery<Q21Row> = (events) =>
  // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
  events.flatMap<Q21Row>((e, out) => {
    if (e.kind !== 'bid') return;
    const channelId = KNOWN[e.channel.toLowerCase()] ?? CHANNEL_ID.exec(e.url)?.[2];
    if (channelId === undefined) return;
    out.collect({ auction: e.auction, bidder: e.bidder, price: e.price, channel: e.channel, channelId });
  });
