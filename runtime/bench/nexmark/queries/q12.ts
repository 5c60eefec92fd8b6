// q12 processing-time windows: bids per bidder per 10 s tumbling window of processing time.
import { TumblingProcessingTimeWindows } from '../../../src/index.ts';
import { type BidCore, bidCores, type NexmarkQuery, TEN_SECONDS } from './query.ts';

export type Q12Row = { bidder: number; bidCount: number; starttime: number; endtime: number };

export const q12: NexmarkQuery<Q12Row> = (events) =>
  bidCores(events)
    .keyBy((b) => b.bidder)
    .window(TumblingProcessingTimeWindows.of(TEN_SECONDS))
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
