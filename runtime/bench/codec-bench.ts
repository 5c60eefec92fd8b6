// Measures candidate codecs for the values of a record batch on the wire: encode + decode throughput
// (records/s) and size (bytes/record) for typical record shapes, in batches of 512 as the engine sends them.
// Run: node runtime/bench/codec-bench.ts [--ms 400]
import { deserialize, serialize } from 'node:v8';
import { Packr, Unpackr } from 'msgpackr';

type Codec = {
  name: string;
  /** Builds a fresh encoder/decoder pair, as the two ends of one channel would hold. */
  pair(): { encode(values: unknown[]): Uint8Array; decode(bytes: Uint8Array): unknown[] };
};

const codecs: Codec[] = [
  {
    name: 'json',
    pair: () => ({
      encode: (v) => Buffer.from(JSON.stringify(v)),
      decode: (b) => JSON.parse(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString()),
    }),
  },
  {
    name: 'v8 serialize',
    pair: () => ({ encode: (v) => serialize(v), decode: (b) => deserialize(b) }),
  },
  {
    name: 'msgpackr maps (useRecords: false)',
    pair: () => {
      const p = new Packr({ useRecords: false });
      return { encode: (v) => p.pack(v), decode: (b) => p.unpack(b) };
    },
  },
  {
    name: 'msgpackr records, self-describing per batch',
    pair: () => {
      const p = new Packr({ useRecords: true, moreTypes: true });
      const u = new Unpackr({ useRecords: true, moreTypes: true });
      return { encode: (v) => p.pack(v), decode: (b) => u.unpack(b) };
    },
  },
  {
    name: 'msgpackr records, sequential per channel',
    pair: () => {
      const p = new Packr({ useRecords: true, sequential: true, moreTypes: true });
      const u = new Unpackr({ useRecords: true, sequential: true, moreTypes: true });
      return { encode: (v) => p.pack(v), decode: (b) => u.unpack(b) };
    },
  },
  {
    name: 'msgpackr records + bundleStrings',
    pair: () => {
      const p = new Packr({ useRecords: true, bundleStrings: true, moreTypes: true });
      const u = new Unpackr({ useRecords: true, bundleStrings: true, moreTypes: true });
      return { encode: (v) => p.pack(v), decode: (b) => u.unpack(b) };
    },
  },
];

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY'];
const BATCH = 512;

const datasets: { name: string; make(i: number): unknown }[] = [
  {
    name: 'transaction {id, account, amount, currency, timestamp}',
    make: (i) => ({
      id: i,
      account: `acc-${i % 1000}`,
      amount: Math.round(Math.random() * 100_000) / 100,
      currency: CURRENCIES[i % 5],
      timestamp: 1_764_000_000_000 + i,
    }),
  },
  { name: 'number', make: (i) => i * 1.5 },
  { name: 'string (word)', make: (i) => `word-${i % 5000}` },
  {
    name: 'nexmark bid {auction, bidder, price, channel, url, dateTime, extra}',
    make: (i) => ({
      auction: 1000 + (i % 977),
      bidder: 2000 + (i % 4513),
      price: 100 + (i % 10_000),
      channel: i % 3 === 0 ? 'Google' : 'Apple',
      url: `https://www.nexmark.com/item.htm?query=1&channel_id=${i % 1000}`,
      dateTime: 1_764_000_000_000 + i,
      extra: '',
    }),
  },
  { name: 'tuple [key, count]', make: (i) => [`k${i % 100}`, i] },
];

function measure(codec: Codec, batches: unknown[][], ms: number) {
  const { encode, decode } = codec.pair();
  let records = 0;
  let bytes = 0;
  let check = 0;
  const start = performance.now();
  let now = start;
  let i = 0;
  while (now - start < ms) {
    for (let k = 0; k < 20; k++) {
      const batch = batches[i++ % batches.length]!;
      const encoded = encode(batch);
      bytes += encoded.byteLength;
      check += decode(encoded).length;
      records += batch.length;
    }
    now = performance.now();
  }
  if (check !== records) throw new Error(`${codec.name} lost records`);
  const seconds = (now - start) / 1000;
  return { recordsPerSecond: records / seconds, bytesPerRecord: bytes / records };
}

const msArg = process.argv.indexOf('--ms');
const ms = msArg > 0 ? Number(process.argv[msArg + 1]) : 400;
console.log(`node ${process.version}, batches of ${BATCH} records, ${ms} ms per case (after warm-up)\n`);
for (const ds of datasets) {
  const batches = Array.from({ length: 16 }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => ds.make(b * BATCH + i)),
  );
  console.log(`## ${ds.name}`);
  console.log('| codec | records/s (encode+decode) | bytes/record |');
  console.log('|---|---:|---:|');
  for (const codec of codecs) {
    measure(codec, batches, ms / 4);
    const r = measure(codec, batches, ms);
    console.log(
      `| ${codec.name} | ${(r.recordsPerSecond / 1e6).toFixed(2)} M | ${r.bytesPerRecord.toFixed(1)} |`,
    );
  }
  console.log();
}
