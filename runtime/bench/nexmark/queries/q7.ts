// q7 highest bid: per 10 s tumbling window, the bids with the window's highest price. Two stages so the
// work spreads over the parallel subtasks: the highest bids per auction and window, then per window.
import { TumblingEventTimeWindows } from '../../../src/index.ts';
import { MaxRowsPerWindow } from './max-rows-per-window.ts';
import { type BidCore, bidCores, type NexmarkQuery, TEN_SECONDS } from './query.ts';

export type Q7Row = { auction: number; bidder: number; price: number; dateTime: number; windowEnd: number };

type Top = { price: number; bids: BidCore[] };

const highest = {
  createAccumulator: (): Top => ({ price: -1, bids: [] }),
  add: (b: BidCore, acc: Top): Top => {
    if (b.price > acc.price) {
      acc.price = b.price;
      acc.bids = [b];
    } else if (b.price === acc.price) acc.bids.push(b);
    return acc;
  },
  getResult: (acc: Top) => acc,
  merge: (a: Top, b: Top): Top =>
    a.price > b.price ? a : b.price > a.price ? b : { price: a.price, bids: [...a.bids, ...b.bids] },
};

export const q7: NexmarkQuery<Q7Row> = (events) =>
  bidCores(events)
    .keyBy((b) => b.auction)
    .window(TumblingEventTimeWindows.of(TEN_SECONDS))
    .aggregate<Top, Top, Q7Row>(highest, (_auction: number, ctx, tops: readonly Top[], out) => {
      for (const b of tops[0]!.bids) {
        out.collect({
          auction: b.auction,
          bidder: b.bidder,
          price: b.price,
          dateTime: b.dateTime,
          windowEnd: ctx.window.end,
        });
      }
    })
    .keyBy((r) => r.windowEnd)
    .process(() => new MaxRowsPerWindow((r: Q7Row) => r.price, 'top'));
