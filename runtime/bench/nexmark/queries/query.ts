// A Nexmark query: a pipeline over the stream of Nexmark events (timestamps and watermarks already
// assigned from the events' dateTime) that returns its result stream.
import type { Auction, Bid, NexmarkEvent, Person } from '../../../src/connectors/nexmark/index.ts';
import type { DataStream } from '../../../src/index.ts';

export type NexmarkQuery<R = unknown> = (events: DataStream<NexmarkEvent>) => DataStream<R>;

export const TEN_SECONDS = 10_000;

export function bids(events: DataStream<NexmarkEvent>): DataStream<Bid> {
  return events.filter((e) => e.kind === 'bid') as DataStream<Bid>;
}

/** A bid without its text fields: what most queries need, projected before the shuffle as a planner would. */
export type BidCore = { auction: number; bidder: number; price: number; dateTime: number };

export function bidCores(events: DataStream<NexmarkEvent>): DataStream<BidCore> {
  // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
  return events.flatMap<BidCore>((e, out) => {
    if (e.kind === 'bid')
      out.collect({ auction: e.auction, bidder: e.bidder, price: e.price, dateTime: e.dateTime });
  });
}

export function auctions(events: DataStream<NexmarkEvent>): DataStream<Auction> {
  return events.filter((e) => e.kind === 'auction') as DataStream<Auction>;
}

export function persons(events: DataStream<NexmarkEvent>): DataStream<Person> {
  return events.filter((e) => e.kind === 'person') as DataStream<Person>;
}
