import assert from 'node:assert/strict';
import { test } from 'uvu';
import { ManualProcessingTimeService } from '../../time/processing-time-service.ts';
import { NexmarkEventGenerator } from './event-generator.ts';
import { GeneratorConfig } from './generator-config.ts';
import type { NexmarkEvent } from './model.ts';
import { NexmarkSource } from './nexmark-source.ts';

function events(n: number, config = {}): NexmarkEvent[] {
  const g = new NexmarkEventGenerator(new GeneratorConfig(config));
  return Array.from({ length: n }, (_, i) => g.event(i));
}

/** Bytes as the reference counts them: 8 per number, 1 per character. */
function size(e: NexmarkEvent): number {
  let n = 0;
  for (const [k, v] of Object.entries(e)) if (k !== 'kind') n += typeof v === 'number' ? 8 : v.length;
  return n;
}

test('the mix is 1 person : 3 auctions : 46 bids in every 50 events', () => {
  const es = events(5000);
  for (let i = 0; i < 5000; i += 50) {
    const kinds = es.slice(i, i + 50).map((e) => e.kind);
    assert.equal(kinds[0], 'person');
    assert.deepEqual(kinds.slice(1, 4), ['auction', 'auction', 'auction']);
    assert.ok(kinds.slice(4).every((k) => k === 'bid'));
  }
});

test('event time is base time + event number / rate, independent of the wall clock', () => {
  const es = events(200, { eventsPerSecond: 1000, baseTime: 5_000 });
  for (const [i, e] of es.entries()) assert.equal(e.dateTime, 5_000 + i);
  const fast = events(100, { eventsPerSecond: 10_000, baseTime: 0 });
  assert.equal(fast[99]!.dateTime, 9);
});

test('ids: persons and auctions count up from 1000; bids refer to existing or soon-made ones', () => {
  const es = events(10_000);
  const persons = es.filter((e) => e.kind === 'person');
  const auctions = es.filter((e) => e.kind === 'auction');
  for (const [i, p] of persons.entries()) assert.equal(p.id, 1000 + i);
  for (const [i, a] of auctions.entries()) assert.equal(a.id, 1000 + i);
  for (let i = 0; i < es.length; i++) {
    const e = es[i]!;
    if (e.kind !== 'bid') continue;
    const auctionsSoFar = Math.floor(i / 50) * 3 + 3;
    assert.ok(e.auction >= 1000 && e.auction < 1000 + auctionsSoFar + 10, `bid ${i} auction ${e.auction}`);
    assert.ok(
      e.bidder >= 1000 && e.bidder < 1000 + Math.floor(i / 50) + 1 + 10,
      `bid ${i} bidder ${e.bidder}`,
    );
  }
});

test('field distributions and average sizes follow the reference', () => {
  const es = events(50_000);
  const bids = es.filter((e) => e.kind === 'bid');
  const auctions = es.filter((e) => e.kind === 'auction');
  const persons = es.filter((e) => e.kind === 'person');
  const avg = (xs: NexmarkEvent[]) => xs.reduce((n, e) => n + size(e), 0) / xs.length;
  // Average sizes: bid 100 B, auction 500 B, person 200 B (extra pads each record to the average).
  assert.ok(Math.abs(avg(bids) - 100 - 90) < 40, `bid ${avg(bids)}`); // + channel and url, not counted by the reference
  assert.ok(Math.abs(avg(auctions) - 500) < 25, `auction ${avg(auctions)}`);
  assert.ok(Math.abs(avg(persons) - 200) < 25, `person ${avg(persons)}`);
  // Hot auctions: P(hot) = 1/2 picks the first auction of the last batch of 100.
  const hotAuction = bids.filter((b) => (b.auction - 1000) % 100 === 0).length / bids.length;
  assert.ok(hotAuction > 0.48 && hotAuction < 0.56, `hot auctions ${hotAuction}`);
  // Hot bidders: P = 3/4 picks the second person of the last batch of 100.
  const hotBidder = bids.filter((b) => (b.bidder - 1000) % 100 === 1).length / bids.length;
  assert.ok(hotBidder > 0.73 && hotBidder < 0.78, `hot bidders ${hotBidder}`);
  const hotSeller = auctions.filter((a) => (a.seller - 1000) % 100 === 0).length / auctions.length;
  assert.ok(hotSeller > 0.7 && hotSeller < 0.8, `hot sellers ${hotSeller}`);
  // Channels: half the bids on the 4 hot channels; 90% of other urls carry channel_id.
  const hotChannel = bids.filter((b) => ['Google', 'Facebook', 'Baidu', 'Apple'].includes(b.channel)).length;
  assert.ok(Math.abs(hotChannel / bids.length - 0.5) < 0.02);
  for (const b of bids)
    assert.match(b.url, /^https:\/\/www\.nexmark\.com\/[a-z_]+\/[a-z_]+\/[a-z_]+\/item\.htm\?query=1/);
  for (const a of auctions) {
    assert.ok(a.category >= 10 && a.category < 15);
    assert.ok(a.expires > a.dateTime && a.reserve > a.initialBid);
  }
  for (const p of persons) {
    assert.ok(['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'].includes(p.state));
    assert.match(p.creditCard, /^\d{4} \d{4} \d{4} \d{4}$/);
  }
  for (const b of bids) assert.ok(b.price >= 100 && b.price <= 100_000_000);
});

test('the same event number always gives the same event; another seed gives others', () => {
  assert.deepEqual(events(300), events(300));
  assert.notDeepEqual(events(300, { seed: 1 }), events(300));
});

test('out of order: groups are shuffled, and no event is later than the bound behind its predecessors', () => {
  const source = new NexmarkSource({ config: { outOfOrderGroupSize: 10, eventsPerSecond: 1000 } });
  const es = events(2000, { outOfOrderGroupSize: 10, eventsPerSecond: 1000 });
  let max = Number.NEGATIVE_INFINITY;
  let disorder = 0;
  for (const e of es) {
    if (e.dateTime < max) disorder++;
    assert.ok(e.dateTime >= max - source.maxOutOfOrdernessMs());
    max = Math.max(max, e.dateTime);
  }
  assert.ok(disorder > 100, `expected shuffled events, ${disorder} out of order`);
  const delayed = events(2000, {
    probDelayedEvent: 0.1,
    occasionalDelaySec: 3,
    eventsPerSecond: 1000,
    baseTime: 0,
  });
  const late = delayed.filter((e, i) => e.dateTime < i).length;
  assert.ok(late > 150 && late < 250, `${late} delayed events`);
});

test('readers split the event numbers; snapshot and restore at another parallelism continue exactly', () => {
  const source = new NexmarkSource({ count: 1000 });
  const clock = new ManualProcessingTimeService();
  const ctx = (i: number, p: number) => ({ subtaskIndex: i, parallelism: p, operatorName: 'nexmark', clock });
  const seen: NexmarkEvent[] = [];
  const out = {
    collect: (e: NexmarkEvent, ts?: number) => {
      assert.equal(ts, e.dateTime);
      seen.push(e);
    },
    deadLetter: () => assert.fail('no dead letters expected'),
  };
  const readers = [0, 1].map((i) => source.createReader(ctx(i, 2), undefined));
  for (const r of readers) r.pollNext(out, 100);
  const states = readers.flatMap((r) => r.snapshotState(1));
  const restored = [
    source.createReader(ctx(0, 3), states.slice(0, 1)),
    source.createReader(ctx(1, 3), states.slice(1)),
    source.createReader(ctx(2, 3), []),
  ];
  for (const r of restored) while (r.pollNext(out, 64) !== 'end-of-input');
  assert.equal(seen.length, 1000);
  const key = (e: NexmarkEvent) => JSON.stringify(e);
  assert.deepEqual(new Set(seen.map(key)), new Set(events(1000).map(key)));
});

test('paced: events are emitted when the wall clock reaches their event time', async () => {
  const clock = new ManualProcessingTimeService(10_000);
  const source = new NexmarkSource({
    count: 100,
    paced: true,
    config: { baseTime: 10_000, eventsPerSecond: 1000 },
  });
  const reader = source.createReader(
    { subtaskIndex: 0, parallelism: 1, operatorName: 'nexmark', clock },
    undefined,
  );
  const seen: NexmarkEvent[] = [];
  const out = {
    collect: (e: NexmarkEvent) => void seen.push(e),
    deadLetter: () => assert.fail('no dead letters'),
  };
  assert.equal(reader.pollNext(out, 1024), 'nothing-available');
  assert.equal(seen.length, 1); // event 0 is due at 10,000
  let woken = false;
  const available = reader.isAvailable().then(() => {
    woken = true;
  });
  clock.advanceTo(10_004);
  await available;
  assert.ok(woken);
  reader.pollNext(out, 1024);
  assert.equal(seen.length, 5);
  assert.ok(seen.every((e) => e.dateTime <= 10_004));
  clock.advanceTo(20_000);
  while (reader.pollNext(out, 1024) !== 'end-of-input');
  assert.equal(seen.length, 100);
});

test('bad configuration is refused with the field named', () => {
  assert.throws(() => new NexmarkSource({ config: { outOfOrderGroupSize: 0 } }), /outOfOrderGroupSize/);
  assert.throws(() => new NexmarkSource({ config: { eventsPerSecond: -1 } }), /eventsPerSecond/);
});

test.run();
