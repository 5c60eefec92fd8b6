// The Nexmark event generator (a port of the reference's NexmarkGenerator, PersonGenerator,
// AuctionGenerator, BidGenerator, StringsGenerator and PriceGenerator). Event number n is a pure function of
// (config, n): its kind comes from the 1:3:46 mix, its event time from n and the configured rate, and its
// fields from a java.util.Random seeded from the event id, so any subtask can make any event.
//
// Differences from the reference, all for reproducibility: the Random is seeded by a hash of (seed, event
// id) (the reference's is unseeded), the channel URLs are seeded by the channel number, and a bid's bidder gets
// FIRST_PERSON_ID added once (one reference version adds it twice).
import { SeededRandom } from '../seeded-random.ts';
import {
  FIRST_AUCTION_ID,
  FIRST_CATEGORY_ID,
  FIRST_PERSON_ID,
  type GeneratorConfig,
} from './generator-config.ts';
import { JavaRandom } from './java-random.ts';
import type { Auction, Bid, NexmarkEvent, Person } from './model.ts';

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'];
const US_CITIES = [
  'Phoenix',
  'Los Angeles',
  'San Francisco',
  'Boise',
  'Portland',
  'Bend',
  'Redmond',
  'Seattle',
  'Kent',
  'Cheyenne',
];
const FIRST_NAMES = [
  'Peter',
  'Paul',
  'Luke',
  'John',
  'Saul',
  'Vicky',
  'Kate',
  'Julie',
  'Sarah',
  'Deiter',
  'Walter',
];
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'];
const NUM_CATEGORIES = 5;
const AUCTION_ID_LEAD = 10;
const PERSON_ID_LEAD = 10;
const HOT_SELLER_RATIO = 100;
const HOT_AUCTION_RATIO = 100;
const HOT_BIDDER_RATIO = 100;
const HOT_CHANNELS_RATIO = 2;
const CHANNELS_NUMBER = 10_000;
const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];
const MIN_STRING_LENGTH = 3;

/** Latin-1 bytes of the string being built (reused: no array per string). */
const chars = Buffer.allocUnsafe(256);

/** The reference's nextString: 3..maxLength−1 letters, about 1 in 13 of them `special` (here '_': urls). */
function nextString(random: JavaRandom, maxLength: number, special: number): string {
  const len = MIN_STRING_LENGTH + random.nextInt(maxLength - MIN_STRING_LENGTH);
  for (let i = 0; i < len; i++) chars[i] = random.nextInt(13) === 0 ? special : 97 + random.nextInt(26);
  return chars.toString('latin1', 0, len);
}

/**
 * Text fields (names, descriptions, e-mail parts) as the reference makes them — 3..maxLength−1 characters,
 * about 1 in 13 a space, trimmed — but cut from a pool made by that very process (one draw for the offset
 * instead of two per character; the characters of a window of the pool have the reference's distribution).
 */
function nextText(random: JavaRandom, maxLength: number): string {
  const len = MIN_STRING_LENGTH + random.nextInt(maxLength - MIN_STRING_LENGTH);
  const offset = random.nextInt(TEXT_POOL.length - len);
  return TEXT_POOL.substring(offset, offset + len).trim();
}

/** Exactly `length` characters, 6 per 32-bit draw (Java's remainder keeps its sign, as in the reference). */
function nextExactString(random: JavaRandom, length: number): string {
  let rnd = 0;
  let left = 0;
  let s = '';
  for (let i = 0; i < length; i++) {
    if (left === 0) {
      rnd = random.nextIntUnbounded();
      left = 6;
    }
    s += String.fromCharCode(97 + (rnd % 26));
    rnd = (rnd / 26) | 0;
    left--;
  }
  return s;
}

/**
 * The padding characters: 1 MiB made exactly as the reference makes padding. A record's padding is a slice
 * of it at a random offset (one draw instead of one per 6 characters; V8 slices without copying). The
 * padding is the last field drawn, so the other fields are unaffected.
 */
const EXTRA_POOL = nextExactString(new JavaRandom(0x6e78), 1 << 20);

/** 1 MiB of the reference's text characters: a space with probability 1/13, else a random letter. */
const TEXT_POOL = ((random: JavaRandom) => {
  const bytes = Buffer.allocUnsafe(1 << 20);
  for (let i = 0; i < bytes.length; i++) bytes[i] = random.nextInt(13) === 0 ? 32 : 97 + random.nextInt(26);
  return bytes.toString('latin1');
})(new JavaRandom(0x7478));

/** Padding so that currentSize + its length averages desiredAverageSize (±20%). */
function nextExtra(random: JavaRandom, currentSize: number, desiredAverageSize: number): string {
  if (currentSize > desiredAverageSize) return '';
  const avg = desiredAverageSize - currentSize;
  const delta = Math.round(avg * 0.2);
  const size = avg - delta + (delta === 0 ? 0 : random.nextInt(2 * delta));
  const offset = random.nextInt(EXTRA_POOL.length - size);
  return EXTRA_POOL.substring(offset, offset + size);
}

function nextPrice(random: JavaRandom): number {
  return Math.round(10 ** (random.nextDouble() * 6.0) * 100.0);
}

function nextLong(random: JavaRandom, n: number): number {
  // The reference takes Random.nextLong() % n above 2^31; that only happens at rates below 1 event/s.
  return n < 2147483647 ? random.nextInt(n) : Math.floor(random.nextDouble() * n);
}

function baseUrl(random: JavaRandom): string {
  return `https://www.nexmark.com/${nextString(random, 5, 95)}/${nextString(random, 5, 95)}/${nextString(random, 5, 95)}/item.htm?query=1`;
}

const HOT_URLS = HOT_CHANNELS.map((_, i) => baseUrl(new JavaRandom(i)));
const channelUrls: ([string, string] | undefined)[] = [];

/** Java's Integer.reverse. */
function reverseBits(v: number): number {
  let r = 0;
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | (v & 1);
    v >>>= 1;
  }
  return r | 0;
}

function channelAndUrl(channel: number): [string, string] {
  let entry = channelUrls[channel];
  if (entry === undefined) {
    const random = new JavaRandom(CHANNELS_NUMBER + channel);
    let url = baseUrl(random);
    if (random.nextInt(10) > 0) url += `&channel_id=${Math.abs(reverseBits(channel))}`;
    entry = [`channel-${channel}`, url];
    channelUrls[channel] = entry;
  }
  return entry;
}

/** MurmurHash3's 32-bit finalizer: every input bit affects every output bit. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Generates events by number; one instance per reader (it reuses its random objects). */
export class NexmarkEventGenerator {
  readonly #cfg: GeneratorConfig;
  readonly #random = new JavaRandom();
  readonly #delay = new SeededRandom(0, 0);

  constructor(cfg: GeneratorConfig) {
    this.#cfg = cfg;
    const seed = cfg.config.seed;
    if (!Number.isSafeInteger(seed)) {
      throw new RangeError(`Nexmark config seed must be an integer, got ${seed}`);
    }
  }

  /** Event number `eventNumber` (0-based position in the stream). */
  event(eventNumber: number): NexmarkEvent {
    const cfg = this.#cfg;
    const eventId = cfg.adjustedEventNumber(eventNumber);
    let timestamp = cfg.timestampForEvent(eventId);
    const c = cfg.config;
    if (c.probDelayedEvent > 0) {
      const d = this.#delay.reset(c.seed ^ 0x5bd1e995, eventId);
      if (d.next() < c.probDelayedEvent) timestamp -= Math.floor(d.next() * c.occasionalDelaySec * 1000);
    }
    // Consecutive java.util.Random seeds give correlated first draws, so the event id is hashed first.
    const h1 = fmix32((eventId | 0) ^ c.seed);
    const h2 = fmix32(h1 ^ Math.floor(eventId / 4294967296) ^ 0x9e3779b9);
    const random = this.#random.setSeed((h1 >>> 0) * 65536 + (h2 & 0xffff));
    const rem = eventId % cfg.totalProportion;
    if (rem < c.personProportion) return this.#person(eventId, random, timestamp);
    if (rem < c.personProportion + c.auctionProportion) return this.#auction(eventId, random, timestamp);
    return this.#bid(eventId, random, timestamp);
  }

  #nextBase0PersonId(eventId: number, random: JavaRandom): number {
    const numPeople = this.#cfg.lastBase0PersonId(eventId) + 1;
    const active = Math.min(numPeople, this.#cfg.config.numActivePeople);
    return numPeople - active + nextLong(random, active + PERSON_ID_LEAD);
  }

  #nextBase0AuctionId(eventId: number, random: JavaRandom): number {
    const max = this.#cfg.lastBase0AuctionId(eventId);
    const min = Math.max(max - this.#cfg.config.numInFlightAuctions, 0);
    return min + nextLong(random, max - min + 1 + AUCTION_ID_LEAD);
  }

  #person(eventId: number, random: JavaRandom, dateTime: number): Person {
    const id = this.#cfg.lastBase0PersonId(eventId) + FIRST_PERSON_ID;
    const name = `${FIRST_NAMES[random.nextInt(FIRST_NAMES.length)]} ${LAST_NAMES[random.nextInt(LAST_NAMES.length)]}`;
    const emailAddress = `${nextText(random, 7)}@${nextText(random, 5)}.com`;
    let creditCard = '';
    for (let i = 0; i < 4; i++) {
      if (i > 0) creditCard += ' ';
      creditCard += String(random.nextInt(10000)).padStart(4, '0');
    }
    const city = US_CITIES[random.nextInt(US_CITIES.length)]!;
    const state = US_STATES[random.nextInt(US_STATES.length)]!;
    const size = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    const extra = nextExtra(random, size, this.#cfg.config.avgPersonByteSize);
    return { kind: 'person', id, name, emailAddress, creditCard, city, state, dateTime, extra };
  }

  #auction(eventId: number, random: JavaRandom, dateTime: number): Auction {
    const cfg = this.#cfg;
    const id = cfg.lastBase0AuctionId(eventId) + FIRST_AUCTION_ID;
    let seller: number;
    if (random.nextInt(cfg.config.hotSellersRatio) > 0) {
      seller = Math.floor(cfg.lastBase0PersonId(eventId) / HOT_SELLER_RATIO) * HOT_SELLER_RATIO;
    } else {
      seller = this.#nextBase0PersonId(eventId, random);
    }
    seller += FIRST_PERSON_ID;
    const category = FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
    const initialBid = nextPrice(random);
    // Auction length: on average the time until numInFlightAuctions more auctions have been made.
    const eventsForAuctions = Math.floor(
      (cfg.config.numInFlightAuctions * cfg.totalProportion) / cfg.config.auctionProportion,
    );
    const horizonMs = cfg.timestampForEvent(eventId + eventsForAuctions) - dateTime;
    const expires = dateTime + 1 + nextLong(random, Math.max(horizonMs * 2, 1));
    const itemName = nextText(random, 20);
    const description = nextText(random, 100);
    const reserve = initialBid + nextPrice(random);
    const size = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8;
    const extra = nextExtra(random, size, cfg.config.avgAuctionByteSize);
    return {
      kind: 'auction',
      id,
      itemName,
      description,
      initialBid,
      reserve,
      dateTime,
      expires,
      seller,
      category,
      extra,
    };
  }

  #bid(eventId: number, random: JavaRandom, dateTime: number): Bid {
    const cfg = this.#cfg;
    let auction: number;
    if (random.nextInt(cfg.config.hotAuctionRatio) > 0) {
      auction = Math.floor(cfg.lastBase0AuctionId(eventId) / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO;
    } else {
      auction = this.#nextBase0AuctionId(eventId, random);
    }
    auction += FIRST_AUCTION_ID;
    let bidder: number;
    if (random.nextInt(cfg.config.hotBiddersRatio) > 0) {
      bidder = Math.floor(cfg.lastBase0PersonId(eventId) / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1;
    } else {
      bidder = this.#nextBase0PersonId(eventId, random);
    }
    bidder += FIRST_PERSON_ID;
    const price = nextPrice(random);
    let channel: string;
    let url: string;
    if (random.nextInt(HOT_CHANNELS_RATIO) > 0) {
      const i = random.nextInt(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i]!;
      url = HOT_URLS[i]!;
    } else {
      [channel, url] = channelAndUrl(random.nextInt(CHANNELS_NUMBER));
    }
    const extra = nextExtra(random, 8 + 8 + 8 + 8, cfg.config.avgBidByteSize);
    return { kind: 'bid', auction, bidder, price, channel, url, dateTime, extra };
  }
}
