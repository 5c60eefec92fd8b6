// q19 auction top-10 price: per auction, the 10 highest bids (ROW_NUMBER() ... <= 10). A bid that enters
// the top 10 is emitted with its rank; the kept top 10 is a sorted array in value state.
import type { KeyedProcessFunction, RuntimeContext, ValueState } from '../../../src/index.ts';
import { valueState } from '../../../src/index.ts';
import { type BidCore, bidCores, type NexmarkQuery } from './query.ts';

export type Q19Row = { auction: number; bidder: number; price: number; dateTime: number; rank: number };

const N = 10;

class TopBids implements KeyedProcessFunction<number, BidCore, Q19Row> {
  #top!: ValueState<number[]>;

  open(ctx: RuntimeContext): void {
    this.#top = ctx.getState(valueState<number[]>('top-prices'));
  }

  processElement(b: BidCore, _ctx: unknown, out: { collect(r: Q19Row): void }): void {
    const top = this.#top.value() ?? [];
    if (top.length === N && b.price <= top[N - 1]!) return;
    let i = top.length;
    while (i > 0 && top[i - 1]! < b.price) i--;
    top.splice(i, 0, b.price);
    if (top.length > N) top.pop();
    this.#top.update(top);
    out.collect({ auction: b.auction, bidder: b.bidder, price: b.price, dateTime: b.dateTime, rank: i + 1 });
  }
}

export const q19: NexmarkQuery<Q19Row> = (events) =>
  bidCores(events)
    .keyBy((b) => b.auction)
    .process(() => new TopBids());
