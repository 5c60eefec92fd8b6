// Bids per bidder per window, for q11 (event-time sessions) and q12 (processing-time tumbling windows).
import type { TimeWindow, WindowAssigner } from '../../../src/index.ts';
import { type BidCore, bidCores, type NexmarkQuery } from './query.ts';

export type BidsPerBidderRow = { bidder: number; bidCount: number; starttime: number; endtime: number };

export function bidsPerBidderWindow(
  assigner: WindowAssigner<BidCore, TimeWindow>,
): NexmarkQuery<BidsPerBidderRow> {
  return (events) =>
    bidCores(events)
      .keyBy((b) => b.bidder)
      .window(assigner)
      .aggregate(
        {
          createAccumulator: () => 0,
          add: (_b: BidCore, acc: number) => acc + 1,
          getResult: (acc: number) => acc,
          merge: (a: number, b: number) => a + b,
        },
        (bidder: number, ctx, counts: readonly number[], out) =>
          out.collect({ bidder, bidCount: counts[0]!, starttime: ctx.window.start, endtime: ctx.window.end }),
      );
}
