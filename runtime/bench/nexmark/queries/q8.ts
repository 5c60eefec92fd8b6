// q8 monitor new users: people who created an auction in the same 10 s tumbling window in which they
// joined. One window per seller id over persons and auctions together: it remembers the person and
// whether an auction was seen, and emits the person at the window's end if both were.
import type { NexmarkEvent } from '../../../src/connectors/nexmark/index.ts';
import { TumblingEventTimeWindows } from '../../../src/index.ts';
import { type NexmarkQuery, TEN_SECONDS } from './query.ts';

export type Q8Row = { id: number; name: string; starttime: number };

type Seen = { name: string | undefined; auction: boolean };
/** A person (with a name) or an auction of seller `id` (without). */
type Joiner = { id: number; name: string | undefined };

export const q8: NexmarkQuery<Q8Row> = (events) =>
  events
    // Projection before the shuffle: a person's id and name, an auction's seller.
    // biome-ignore lint/suspicious/useIterableCallbackReturn: DataStream.flatMap emits through its collector
    .flatMap<Joiner>((e: NexmarkEvent, out) => {
      if (e.kind === 'person') out.collect({ id: e.id, name: e.name });
      else if (e.kind === 'auction') out.collect({ id: e.seller, name: undefined });
    })
    .keyBy((e) => e.id)
    .window(TumblingEventTimeWindows.of(TEN_SECONDS))
    .aggregate(
      {
        createAccumulator: (): Seen => ({ name: undefined, auction: false }),
        add: (e: Joiner, acc: Seen): Seen => {
          if (e.name !== undefined) acc.name = e.name;
          else acc.auction = true;
          return acc;
        },
        getResult: (acc: Seen) => acc,
        merge: (a: Seen, b: Seen): Seen => ({ name: a.name ?? b.name, auction: a.auction || b.auction }),
      },
      (id: number, ctx, seen: readonly Seen[], out) => {
        const s = seen[0]!;
        if (s.name !== undefined && s.auction) out.collect({ id, name: s.name, starttime: ctx.window.start });
      },
    );
