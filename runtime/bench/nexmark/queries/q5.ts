// q5 hot items: per sliding window (10 s, every 2 s) the auctions with the most bids. Bids are counted per
// auction and window (the window operator slices sliding windows into 2 s panes, so a bid is added once),
// then per window end the auctions whose count equals the maximum are emitted when the watermark passes it.
import type {
  KeyedProcessContext,
  KeyedProcessFunction,
  OnTimerContext,
  RuntimeContext,
  ValueState,
} from '../../../src/index.ts';
import { SlidingEventTimeWindows, valueState } from '../../../src/index.ts';
import { type BidCore, bidCores, type NexmarkQuery, TEN_SECONDS } from './query.ts';

export type Q5Row = { auction: number; num: number; windowEnd: number };

const count = {
  createAccumulator: () => 0,
  add: (_b: BidCore, acc: number) => acc + 1,
  getResult: (acc: number) => acc,
  merge: (a: number, b: number) => a + b,
};

class MaxPerWindow implements KeyedProcessFunction<number, Q5Row, Q5Row> {
  #best!: ValueState<Q5Row[]>;

  open(ctx: RuntimeContext): void {
    this.#best = ctx.getState(valueState<Q5Row[]>('best'));
  }

  processElement(r: Q5Row, ctx: KeyedProcessContext<number>): void {
    const best = this.#best.value();
    if (best === undefined) {
      this.#best.update([r]);
      ctx.timerService().registerEventTimeTimer(r.windowEnd - 1);
    } else if (r.num > best[0]!.num) this.#best.update([r]);
    else if (r.num === best[0]!.num) this.#best.update([...best, r]);
  }

  onTimer(_t: number, _ctx: OnTimerContext<number>, out: { collect(r: Q5Row): void }): void {
    for (const r of this.#best.value() ?? []) out.collect(r);
    this.#best.clear();
  }
}

export const q5: NexmarkQuery<Q5Row> = (events) =>
  bidCores(events)
    .keyBy((b) => b.auction)
    .window(SlidingEventTimeWindows.of(TEN_SECONDS, 2_000))
    .aggregate<number, number, Q5Row>(count, (auction: number, ctx, counts: readonly number[], out) =>
      out.collect({ auction, num: counts[0]!, windowEnd: ctx.window.end }),
    )
    .keyBy((r) => r.windowEnd)
    .process(() => new MaxPerWindow());
