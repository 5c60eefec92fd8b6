// q3 local item suggestion: auctions of category 10 joined with their sellers who live in OR, ID or CA.
// A regular (unwindowed) join on seller = person id: the person is kept once seen, and auctions that
// arrive before their seller (sellers may be people about to be created) wait in list state.
import type { Auction, NexmarkEvent, Person } from '../../../src/connectors/nexmark/index.ts';
import type { KeyedProcessFunction, ListState, RuntimeContext, ValueState } from '../../../src/index.ts';
import { listState, valueState } from '../../../src/index.ts';
import type { NexmarkQuery } from './query.ts';

export type Q3Row = { name: string; city: string; state: string; id: number };

const STATES = new Set(['OR', 'ID', 'CA']);

class SellerJoin implements KeyedProcessFunction<number, Person | Auction, Q3Row> {
  #person!: ValueState<Person>;
  #waiting!: ListState<number>;

  open(ctx: RuntimeContext): void {
    this.#person = ctx.getState(valueState<Person>('person'));
    this.#waiting = ctx.getListState(listState<number>('auctions'));
  }

  processElement(e: Person | Auction, _ctx: unknown, out: { collect(r: Q3Row): void }): void {
    if (e.kind === 'person') {
      this.#person.update(e);
      for (const id of this.#waiting.get()) out.collect({ name: e.name, city: e.city, state: e.state, id });
      this.#waiting.clear();
      return;
    }
    const p = this.#person.value();
    if (p === undefined) this.#waiting.add(e.id);
    else out.collect({ name: p.name, city: p.city, state: p.state, id: e.id });
  }
}

export const q3: NexmarkQuery<Q3Row> = (events) =>
  events
    // Filters and projection before the shuffle: sellers' name and address, auctions' id and seller.
    // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
    .flatMap<Person | Auction>((e: NexmarkEvent, out) => {
      if (e.kind === 'auction' && e.category === 10)
        out.collect({ ...e, itemName: '', description: '', extra: '' });
      else if (e.kind === 'person' && STATES.has(e.state)) {
        out.collect({ ...e, emailAddress: '', creditCard: '', extra: '' });
      }
    })
    .keyBy((e) => ((e as Person | Auction).kind === 'person' ? (e as Person).id : (e as Auction).seller))
    .process(() => new SellerJoin() as KeyedProcessFunction<number, NexmarkEvent, Q3Row>);
