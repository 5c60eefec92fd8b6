// q5 hot items: per sliding window (10 s, every 2 s) the auctions with the most bids. Bids are counted per
// auction and window (the window operator slices sliding windows into 2 s panes, so a bid is added once),
// then per window end the auctions whose count equals the maximum are emitted when the watermark passes it.
import { SlidingEventTimeWindows } from '../../../src/index.ts';
import { MaxRowsPerWindow } from './max-rows-per-window.ts';
import { type BidCore, bidCores, type NexmarkQuery, TEN_SECONDS } from './query.ts';

export type Q5Row = { auction: number; num: number; windowEnd: number };

const count = {
  createAccumulator: () => 0,
  add: (_b: BidCore, acc: number) => acc + 1,
  getResult: (acc: number) => acc,
  merge: (a: number, b: number) => a + b,
};

export const q5: NexmarkQuery<Q5Row> = (events) =>
  bidCores(events)
    .keyBy((b) => b.auction)
    .window(SlidingEventTimeWindows.of(TEN_SECONDS, 2_000))
    .aggregate<number, number, Q5Row>(count, (auction: number, ctx, counts: readonly number[], out) =>
      out.collect({ auction, num: counts[0]!, windowEnd: ctx.window.end }),
    )
    .keyBy((r) => r.windowEnd)
    .process(() => new MaxRowsPerWindow((r: Q5Row) => r.num, 'best'));
