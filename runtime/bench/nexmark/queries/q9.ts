// q9 winning bids: every closed auction with its highest bid made while it was open (price descending,
// then earliest); auctions without such a bid are left out.

import { winningBids } from './auction-bid-join.ts';
import type { NexmarkQuery } from './query.ts';

export type Q9Row = {
  id: number;
  itemName: string;
  initialBid: number;
  reserve: number;
  dateTime: number;
  expires: number;
  seller: number;
  category: number;
  bidder: number;
  price: number;
  bidDateTime: number;
};

export const q9: NexmarkQuery<Q9Row> = (events) =>
  winningBids(events).map(({ auction: a, bid: b }) => ({
    id: a.id,
    itemName: a.itemName,
    initialBid: a.initialBid,
    reserve: a.reserve,
    dateTime: a.dateTime,
    expires: a.expires,
    seller: a.seller,
    category: a.category,
    bidder: b.bidder,
    price: b.price,
    bidDateTime: b.dateTime,
  }));
