// A Nexmark query: a pipeline over the stream of Nexmark events (timestamps and watermarks already
// assigned from the events' dateTime) that returns its result stream.
import type { Auction, Bid, NexmarkEvent, Person } from '../../../src/connectors/nexmark/index.ts';
import type { DataStream } from '../../../src/index.ts';

export type NexmarkQuery<R = unknown> = (events: DataStream<NexmarkEvent>) => DataStream<R>;

export const TEN_SECONDS = 10_000;

export function bids(events: DataStream<NexmarkEvent>): DataStream<Bid> {
  return events.filter((e) => e.kind === 'bid') as DataStream<Bid>;
}

export function auctions(events: DataStream<NexmarkEvent>): DataStream<Auction> {
  return events.filter((e) => e.kind === 'auction') as DataStream<Auction>;
}

export function persons(events: DataStream<NexmarkEvent>): DataStream<Person> {
  return events.filter((e) => e.kind === 'person') as DataStream<Person>;
}
