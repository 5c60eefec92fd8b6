// The join under q4 and q9: each auction with the highest of its bids made between its creation and its
// expiry (price descending, then earliest). Keyed by auction id. A bid that arrives before its auction
// waits (bids may name auctions about to be created); the result is emitted by an event-time timer at the
// auction's expiry, when no qualifying bid can arrive any more.
import type { NexmarkEvent } from '../../../src/connectors/nexmark/index.ts';
import type {
  DataStream,
  KeyedProcessContext,
  KeyedProcessFunction,
  ListState,
  OnTimerContext,
  RuntimeContext,
  ValueState,
} from '../../../src/index.ts';
import { listState, valueState } from '../../../src/index.ts';

/** The fields of an auction the queries use (text fields other than the name are projected away). */
export type AuctionRow = {
  kind: 'auction';
  id: number;
  itemName: string;
  initialBid: number;
  reserve: number;
  dateTime: number;
  expires: number;
  seller: number;
  category: number;
};
export type BidRow = { kind: 'bid'; auction: number; bidder: number; price: number; dateTime: number };
type Row = AuctionRow | BidRow;

export type WinningBid = { auction: AuctionRow; bid: BidRow };
type Auction = AuctionRow;
type Bid = BidRow;

function better(b: Bid, than: Bid | undefined): boolean {
  return than === undefined || b.price > than.price || (b.price === than.price && b.dateTime < than.dateTime);
}

class WinningBidFunction implements KeyedProcessFunction<number, Row, WinningBid> {
  #auction!: ValueState<Auction>;
  #best!: ValueState<Bid>;
  #early!: ListState<Bid>;

  open(ctx: RuntimeContext): void {
    this.#auction = ctx.getState(valueState<Auction>('auction'));
    this.#best = ctx.getState(valueState<Bid>('best'));
    this.#early = ctx.getListState(listState<Bid>('early-bids'));
  }

  processElement(e: Row, ctx: KeyedProcessContext<number>): void {
    if (e.kind === 'auction') {
      this.#auction.update(e);
      let best: Bid | undefined;
      for (const b of this.#early.get())
        if (b.dateTime >= e.dateTime && b.dateTime <= e.expires && better(b, best)) best = b;
      this.#early.clear();
      if (best !== undefined) this.#best.update(best);
      ctx.timerService().registerEventTimeTimer(e.expires);
      return;
    }
    const a = this.#auction.value();
    if (a === undefined) {
      // Its auction has not arrived. The bid can only qualify if the auction is created no later than the
      // bid; it is dropped once the watermark shows it cannot be joined any more.
      this.#early.add(e);
      ctx.timerService().registerEventTimeTimer(e.dateTime);
      return;
    }
    if (e.dateTime < a.dateTime || e.dateTime > a.expires) return;
    if (better(e, this.#best.value())) this.#best.update(e);
  }

  onTimer(timestamp: number, _ctx: OnTimerContext<number>, out: { collect(r: WinningBid): void }): void {
    const a = this.#auction.value();
    if (a === undefined) {
      this.#early.update(this.#early.get().filter((b) => b.dateTime > timestamp));
      return;
    }
    if (timestamp !== a.expires) return;
    const best = this.#best.value();
    if (best !== undefined) out.collect({ auction: a, bid: best });
    this.#best.clear();
    this.#auction.clear();
  }
}

export function winningBids(events: DataStream<NexmarkEvent>): DataStream<WinningBid> {
  return (
    events
      // Projection before the shuffle: only the fields the join and its queries use.
      // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
      .flatMap<Row>((e, out) => {
        if (e.kind === 'bid') {
          out.collect({
            kind: 'bid',
            auction: e.auction,
            bidder: e.bidder,
            price: e.price,
            dateTime: e.dateTime,
          });
        } else if (e.kind === 'auction') {
          out.collect({
            kind: 'auction',
            id: e.id,
            itemName: e.itemName,
            initialBid: e.initialBid,
            reserve: e.reserve,
            dateTime: e.dateTime,
            expires: e.expires,
            seller: e.seller,
            category: e.category,
          });
        }
      })
      .keyBy((e) => (e.kind === 'bid' ? e.auction : e.id))
      .process(() => new WinningBidFunction())
  );
}
