// q4 average selling price per category: the winning bid of every closed auction (auction-bid-join.ts),
// then a running average of those prices per category, updated at every closed auction.

import { winningBids } from './auction-bid-join.ts';
import type { NexmarkQuery } from './query.ts';

export type Q4Row = { category: number; avgPrice: number };

export const q4: NexmarkQuery<Q4Row> = (events) =>
  winningBids(events)
    .map((w) => ({ category: w.auction.category, price: w.bid.price }))
    .keyBy((r) => r.category)
    .aggregate({
      createAccumulator: () => ({ category: 0, sum: 0, count: 0 }),
      add: (
        r: { category: number; price: number },
        acc: { category: number; sum: number; count: number },
      ) => {
        acc.category = r.category;
        acc.sum += r.price;
        acc.count++;
        return acc;
      },
      getResult: (acc): Q4Row => ({ category: acc.category, avgPrice: acc.sum / acc.count }),
      merge: (a, b) => ({ category: a.category, sum: a.sum + b.sum, count: a.count + b.count }),
    });
