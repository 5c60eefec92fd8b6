// q17 auction statistics report: per auction and day, the number of bids (in all and by price rank) and
// the minimum, maximum, average and sum of prices; an unbounded aggregate updated at every bid.
import { type BidCore, bidCores, type NexmarkQuery } from './query.ts';

export type Q17Row = {
  auction: number;
  day: string;
  totalBids: number;
  rank1Bids: number;
  rank2Bids: number;
  rank3Bids: number;
  minPrice: number;
  maxPrice: number;
  avgPrice: number;
  sumPrice: number;
};

const DAY_MS = 86_400_000;

function day(t: number): string {
  return new Date(t - (t % DAY_MS)).toISOString().slice(0, 10);
}

export const q17: NexmarkQuery<Q17Row> = (events) =>
  bidCores(events)
    .keyBy((b) => b.auction * 100_000 + Math.floor(b.dateTime / DAY_MS))
    .aggregate({
      createAccumulator: (): Q17Row => ({
        auction: 0,
        day: '',
        totalBids: 0,
        rank1Bids: 0,
        rank2Bids: 0,
        rank3Bids: 0,
        minPrice: Number.POSITIVE_INFINITY,
        maxPrice: Number.NEGATIVE_INFINITY,
        avgPrice: 0,
        sumPrice: 0,
      }),
      add: (b: BidCore, acc: Q17Row): Q17Row => {
        if (acc.totalBids === 0) {
          acc.auction = b.auction;
          acc.day = day(b.dateTime);
        }
        acc.totalBids++;
        if (b.price < 10_000) acc.rank1Bids++;
        else if (b.price < 1_000_000) acc.rank2Bids++;
        else acc.rank3Bids++;
        if (b.price < acc.minPrice) acc.minPrice = b.price;
        if (b.price > acc.maxPrice) acc.maxPrice = b.price;
        acc.sumPrice += b.price;
        return acc;
      },
      getResult: (acc: Q17Row): Q17Row => ({ ...acc, avgPrice: acc.sumPrice / acc.totalBids }),
      merge: (a: Q17Row, b: Q17Row): Q17Row => ({
        auction: a.auction,
        day: a.day,
        totalBids: a.totalBids + b.totalBids,
        rank1Bids: a.rank1Bids + b.rank1Bids,
        rank2Bids: a.rank2Bids + b.rank2Bids,
        rank3Bids: a.rank3Bids + b.rank3Bids,
        minPrice: Math.min(a.minPrice, b.minPrice),
        maxPrice: Math.max(a.maxPrice, b.maxPrice),
        avgPrice: 0,
        sumPrice: a.sumPrice + b.sumPrice,
      }),
    });
