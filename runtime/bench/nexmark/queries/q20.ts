// q20 expand bid with auction: every bid joined with its auction, for auctions of category 10. A regular
// join keyed by auction id: the auction is kept once seen (or just the fact that it is of another
// category), and bids that arrive before their auction wait in list state.
import type { Auction, Bid, NexmarkEvent } from '../../../src/connectors/nexmark/index.ts';
import type { KeyedProcessFunction, ListState, RuntimeContext, ValueState } from '../../../src/index.ts';
import { listState, valueState } from '../../../src/index.ts';
import type { NexmarkQuery } from './query.ts';

export type Q20Row = {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  url: string;
  bidDateTime: number;
  itemName: string;
  description: string;
  initialBid: number;
  reserve: number;
  dateTime: number;
  expires: number;
  seller: number;
  category: number;
};

/** The auction, or null when it is known to be of another category. */
type Kept = Auction | null;

function row(b: Bid, a: Auction): Q20Row {
  return {
    auction: b.auction,
    bidder: b.bidder,
    price: b.price,
    channel: b.channel,
    url: b.url,
    bidDateTime: b.dateTime,
    itemName: a.itemName,
    description: a.description,
    initialBid: a.initialBid,
    reserve: a.reserve,
    dateTime: a.dateTime,
    expires: a.expires,
    seller: a.seller,
    category: a.category,
  };
}

class BidAuctionJoin implements KeyedProcessFunction<number, NexmarkEvent, Q20Row> {
  #auction!: ValueState<Kept>;
  #waiting!: ListState<Bid>;

  open(ctx: RuntimeContext): void {
    this.#auction = ctx.getState(valueState<Kept>('auction'));
    this.#waiting = ctx.getListState(listState<Bid>('bids'));
  }

  processElement(e: NexmarkEvent, _ctx: unknown, out: { collect(r: Q20Row): void }): void {
    if (e.kind === 'auction') {
      const keep = e.category === 10 ? e : null;
      this.#auction.update(keep);
      if (keep !== null) for (const b of this.#waiting.get()) out.collect(row(b, keep));
      this.#waiting.clear();
      return;
    }
    if (e.kind !== 'bid') return;
    const a = this.#auction.value();
    if (a === undefined) this.#waiting.add(e);
    else if (a !== null) out.collect(row(e, a));
  }
}

/** Bids without their padding; auctions of other categories reduced to their id. */
function project(e: NexmarkEvent): NexmarkEvent | undefined {
  if (e.kind === 'bid') return { ...e, extra: '' };
  if (e.kind !== 'auction') return undefined;
  return e.category === 10 ? { ...e, extra: '' } : { ...e, itemName: '', description: '', extra: '' };
}

export const q20: NexmarkQuery<Q20Row> = (events) =>
  events
    // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
    .flatMap<NexmarkEvent>((e, out) => {
      const p = project(e);
      if (p !== undefined) out.collect(p);
    })
    .keyBy((e) => (e.kind === 'bid' ? e.auction : (e as Auction).id))
    .process(() => new BidAuctionJoin());
