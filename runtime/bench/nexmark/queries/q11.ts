// q11 user sessions: bids per bidder per session (10 s of inactivity closes a session).
import { EventTimeSessionWindows } from '../../../src/index.ts';
import { type BidCore, bidCores, type NexmarkQuery, TEN_SECONDS } from './query.ts';

export type Q11Row = { bidder: number; bidCount: number; starttime: number; endtime: number };

export const q11: NexmarkQuery<Q11Row> = (events) =>
  bidCores(events)
    .keyBy((b) => b.bidder)
    .window(EventTimeSessionWindows.withGap(TEN_SECONDS))
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
