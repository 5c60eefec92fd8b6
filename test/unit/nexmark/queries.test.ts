// Every Nexmark query against a straightforward computation of the same query: plain loops over the
// generated events, no engine. Runs at parallelism 2, so the exchanges and their interleavings are exercised.
import assert from 'node:assert/strict';
import { test } from 'uvu';
import { QUERIES } from '../../../runtime/bench/nexmark/queries/index.ts';
import type { Auction, Bid, Person } from '../../../runtime/src/connectors/nexmark/index.ts';
import { canonical, generated, lastPerKey, runQuery } from './run-query.ts';

const N = 30_000;
const events = generated(N);
const bids = events.filter((e): e is Bid => e.kind === 'bid');
const auctions = events.filter((e): e is Auction => e.kind === 'auction');
const persons = events.filter((e): e is Person => e.kind === 'person');

function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g === undefined) m.set(k, [x]);
    else g.push(x);
  }
  return m;
}

const floor = (t: number, size: number) => t - (t % size);

test('q0 passes every bid through', async () => {
  assert.deepEqual(canonical(await runQuery(QUERIES.q0!, N)), canonical(bids));
});

test('q1 converts prices', async () => {
  const expected = bids.map((b) => ({
    auction: b.auction,
    bidder: b.bidder,
    price: 0.908 * b.price,
    dateTime: b.dateTime,
    extra: b.extra,
  }));
  assert.deepEqual(canonical(await runQuery(QUERIES.q1!, N)), canonical(expected));
});

test('q2 selects the bids of every 123rd auction', async () => {
  const expected = bids
    .filter((b) => b.auction % 123 === 0)
    .map((b) => ({ auction: b.auction, price: b.price }));
  assert.ok(expected.length > 0);
  assert.deepEqual(canonical(await runQuery(QUERIES.q2!, N)), canonical(expected));
});

test('q3 joins category-10 auctions with their sellers in OR, ID, CA', async () => {
  const expected: unknown[] = [];
  for (const a of auctions) {
    if (a.category !== 10) continue;
    for (const p of persons) {
      if (p.id === a.seller && ['OR', 'ID', 'CA'].includes(p.state))
        expected.push({ name: p.name, city: p.city, state: p.state, id: a.id });
    }
  }
  assert.ok(expected.length > 0);
  assert.deepEqual(canonical(await runQuery(QUERIES.q3!, N)), canonical(expected));
});

/** Per auction, the highest bid (then earliest) made between its creation and expiry. */
function winning(): { a: Auction; b: Bid }[] {
  const byAuction = groupBy(bids, (b) => b.auction);
  const out: { a: Auction; b: Bid }[] = [];
  for (const a of auctions) {
    let best: Bid | undefined;
    for (const b of byAuction.get(a.id) ?? []) {
      if (b.dateTime < a.dateTime || b.dateTime > a.expires) continue;
      if (
        best === undefined ||
        b.price > best.price ||
        (b.price === best.price && b.dateTime < best.dateTime)
      )
        best = b;
    }
    if (best !== undefined) out.push({ a, b: best });
  }
  return out;
}

test('q4 averages the winning prices per category', async () => {
  const expected = new Map<number, { sum: number; n: number }>();
  for (const { a, b } of winning()) {
    const s = expected.get(a.category) ?? { sum: 0, n: 0 };
    s.sum += b.price;
    s.n++;
    expected.set(a.category, s);
  }
  const rows = (await runQuery(QUERIES.q4!, N)) as { category: number; avgPrice: number }[];
  const last = lastPerKey(rows, (r) => r.category);
  assert.equal(last.size, expected.size);
  for (const [c, s] of expected) assert.equal(last.get(String(c))!.avgPrice, s.sum / s.n);
});

test('q5 finds the auctions with the most bids per sliding window', async () => {
  const counts = new Map<number, Map<number, number>>();
  for (const b of bids) {
    for (let start = floor(b.dateTime, 2000); start > b.dateTime - 10_000; start -= 2000) {
      const end = start + 10_000;
      const m = counts.get(end) ?? new Map<number, number>();
      m.set(b.auction, (m.get(b.auction) ?? 0) + 1);
      counts.set(end, m);
    }
  }
  const expected: unknown[] = [];
  for (const [windowEnd, m] of counts) {
    const max = Math.max(...m.values());
    for (const [auction, num] of m) if (num === max) expected.push({ auction, num, windowEnd });
  }
  assert.deepEqual(canonical(await runQuery(QUERIES.q5!, N)), canonical(expected));
});

test('q7 finds the highest bids per tumbling window', async () => {
  const expected: unknown[] = [];
  for (const [start, ws] of groupBy(bids, (b) => floor(b.dateTime, 10_000))) {
    const max = Math.max(...ws.map((b) => b.price));
    for (const b of ws) {
      if (b.price === max)
        expected.push({
          auction: b.auction,
          bidder: b.bidder,
          price: b.price,
          dateTime: b.dateTime,
          windowEnd: start + 10_000,
        });
    }
  }
  assert.deepEqual(canonical(await runQuery(QUERIES.q7!, N)), canonical(expected));
});

test('q8 finds people who created an auction in the window they joined in', async () => {
  const expected: unknown[] = [];
  for (const p of persons) {
    const w = floor(p.dateTime, 10_000);
    if (auctions.some((a) => a.seller === p.id && floor(a.dateTime, 10_000) === w))
      expected.push({ id: p.id, name: p.name, starttime: w });
  }
  assert.ok(expected.length > 0);
  assert.deepEqual(canonical(await runQuery(QUERIES.q8!, N)), canonical(expected));
});

test('q9 finds the winning bid of every auction', async () => {
  const expected = winning().map(({ a, b }) => ({
    id: a.id,
    itemName: a.itemName,
    initialBid: a.initialBid,
    reserve: a.reserve,
    dateTime: a.dateTime,
    expires: a.expires,
    seller: a.seller,
    category: a.category,
    bidder: b.bidder,
    price: b.price,
    bidDateTime: b.dateTime,
  }));
  assert.ok(expected.length > 100);
  assert.deepEqual(canonical(await runQuery(QUERIES.q9!, N)), canonical(expected));
});

test('q11 counts bids per bidder session', async () => {
  const expected: unknown[] = [];
  for (const [bidder, bs] of groupBy(bids, (b) => b.bidder)) {
    const times = bs.map((b) => b.dateTime).sort((x, y) => x - y);
    let start = times[0]!;
    let last = start;
    let n = 0;
    for (const t of times) {
      if (t > last + 10_000) {
        expected.push({ bidder, bidCount: n, starttime: start, endtime: last + 10_000 });
        start = t;
        n = 0;
      }
      last = t;
      n++;
    }
    expected.push({ bidder, bidCount: n, starttime: start, endtime: last + 10_000 });
  }
  assert.deepEqual(canonical(await runQuery(QUERIES.q11!, N)), canonical(expected));
});

test('q12 counts every bid of every bidder once over its processing-time windows', async () => {
  const rows = (await runQuery(QUERIES.q12!, N)) as { bidder: number; bidCount: number; endtime: number }[];
  const got = new Map<number, number>();
  for (const r of rows) {
    assert.equal(r.endtime % 10_000, 0);
    got.set(r.bidder, (got.get(r.bidder) ?? 0) + r.bidCount);
  }
  const expected = new Map([...groupBy(bids, (b) => b.bidder)].map(([k, v]) => [k, v.length]));
  assert.deepEqual(got, expected);
});

test('q17 reports statistics per auction and day', async () => {
  const rows = (await runQuery(QUERIES.q17!, N)) as { auction: number; day: string }[];
  const last = lastPerKey(rows, (r) => [r.auction, r.day]);
  const expected = new Map<string, unknown>();
  for (const [key, bs] of groupBy(
    bids,
    (b) => `${b.auction}|${new Date(b.dateTime).toISOString().slice(0, 10)}`,
  )) {
    const [auction, day] = key.split('|');
    const prices = bs.map((b) => b.price);
    const sum = prices.reduce((s, p) => s + p, 0);
    expected.set(JSON.stringify([Number(auction), day]), {
      auction: Number(auction),
      day,
      totalBids: bs.length,
      rank1Bids: prices.filter((p) => p < 10_000).length,
      rank2Bids: prices.filter((p) => p >= 10_000 && p < 1_000_000).length,
      rank3Bids: prices.filter((p) => p >= 1_000_000).length,
      minPrice: Math.min(...prices),
      maxPrice: Math.max(...prices),
      avgPrice: sum / bs.length,
      sumPrice: sum,
    });
  }
  assert.deepEqual(new Map([...last].map(([k, v]) => [k, v])), expected);
});

test('q18 keeps the last bid per bidder and auction', async () => {
  const rows = await runQuery(QUERIES.q18!, N);
  const last = lastPerKey(rows as Bid[], (b) => [b.bidder, b.auction]);
  const expected = new Map<string, Bid>();
  for (const b of bids) {
    const k = JSON.stringify([b.bidder, b.auction]);
    const kept = expected.get(k);
    if (kept === undefined || b.dateTime >= kept.dateTime) expected.set(k, b);
  }
  assert.deepEqual(last, expected);
});

test('q19 keeps the 10 highest bids per auction', async () => {
  const rows = (await runQuery(QUERIES.q19!, N)) as { auction: number; price: number }[];
  const got = new Map<number, number[]>();
  for (const [a, rs] of groupBy(rows, (r) => r.auction))
    got.set(
      a,
      rs
        .map((r) => r.price)
        .sort((x, y) => y - x)
        .slice(0, 10),
    );
  const expected = new Map<number, number[]>();
  for (const [a, bs] of groupBy(bids, (b) => b.auction))
    expected.set(
      a,
      bs
        .map((b) => b.price)
        .sort((x, y) => y - x)
        .slice(0, 10),
    );
  assert.deepEqual(got, expected);
});

test('q20 expands bids with their category-10 auctions', async () => {
  const byId = new Map(auctions.map((a) => [a.id, a]));
  const expected: unknown[] = [];
  for (const b of bids) {
    const a = byId.get(b.auction);
    if (a === undefined || a.category !== 10) continue;
    expected.push({
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
    });
  }
  assert.ok(expected.length > 1000);
  assert.deepEqual(canonical(await runQuery(QUERIES.q20!, N)), canonical(expected));
});

test('q21 adds the channel id', async () => {
  const ids: Record<string, string> = { apple: '0', google: '1', facebook: '2', baidu: '3' };
  const expected: unknown[] = [];
  for (const b of bids) {
    let id = ids[b.channel.toLowerCase()];
    if (id === undefined) {
      const at = b.url.indexOf('channel_id=');
      if (at >= 0) id = b.url.slice(at + 'channel_id='.length).split('&')[0];
    }
    if (id !== undefined)
      expected.push({
        auction: b.auction,
        bidder: b.bidder,
        price: b.price,
        channel: b.channel,
        channelId: id,
      });
  }
  assert.ok(expected.length < bids.length);
  assert.deepEqual(canonical(await runQuery(QUERIES.q21!, N)), canonical(expected));
});

test('q22 splits url directories', async () => {
  const expected = bids.map((b) => {
    const [, , , d1, d2, d3] = b.url.split('/');
    return {
      auction: b.auction,
      bidder: b.bidder,
      price: b.price,
      channel: b.channel,
      dir1: d1 ?? null,
      dir2: d2 ?? null,
      dir3: d3 ?? null,
    };
  });
  assert.deepEqual(canonical(await runQuery(QUERIES.q22!, N)), canonical(expected));
});

test.run();
