// q18 find last bid: per bidder and auction, the latest bid (deduplication keeping the last row by time);
// a bid replaces the kept one, and is emitted, when it is at least as late.
import type { Bid } from '../../../src/connectors/nexmark/index.ts';
import type { KeyedProcessFunction, RuntimeContext, ValueState } from '../../../src/index.ts';
import { valueState } from '../../../src/index.ts';
import { bids, type NexmarkQuery } from './query.ts';

class LastBid implements KeyedProcessFunction<number, Bid, Bid> {
  #latest!: ValueState<number>;

  open(ctx: RuntimeContext): void {
    this.#latest = ctx.getState(valueState<number>('latest-time'));
  }

  processElement(b: Bid, _ctx: unknown, out: { collect(b: Bid): void }): void {
    const latest = this.#latest.value();
    if (latest !== undefined && b.dateTime < latest) return;
    this.#latest.update(b.dateTime);
    out.collect(b);
  }
}

export const q18: NexmarkQuery<Bid> = (events) =>
  bids(events)
    .keyBy((b) => b.bidder * 10_000_000 + b.auction)
    .process(() => new LastBid());
