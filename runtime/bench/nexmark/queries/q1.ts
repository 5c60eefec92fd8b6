// q1 currency conversion: bid prices from dollars to euros (0.908 × price).
import type { Bid } from '../../../src/connectors/nexmark/index.ts';
import { bids, type NexmarkQuery } from './query.ts';

export type Q1Row = { auction: number; bidder: number; price: number; dateTime: number; extra: string };

export const q1: NexmarkQuery<Q1Row> = (events) =>
  bids(events).map((b: Bid) => ({
    auction: b.auction,
    bidder: b.bidder,
    price: 0.908 * b.price,
    dateTime: b.dateTime,
    extra: b.extra,
  }));
