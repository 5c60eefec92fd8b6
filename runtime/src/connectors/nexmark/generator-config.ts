// The Nexmark generator configuration (the reference's NexmarkConfiguration + GeneratorConfig) and the pure
// functions of the event number it defines: event ids, event time, the last person/auction made so far.

export type NexmarkConfig = {
  /** Events per second of event time (the reference's firstEventRate); event time advances at this rate. */
  readonly eventsPerSecond: number;
  /** Event time of event number 0 (epoch ms). */
  readonly baseTime: number;
  readonly personProportion: number;
  readonly auctionProportion: number;
  readonly bidProportion: number;
  readonly avgPersonByteSize: number;
  readonly avgAuctionByteSize: number;
  readonly avgBidByteSize: number;
  /** P(hot auction) = 1 − 1/hotAuctionRatio, and likewise for bidders and sellers. */
  readonly hotAuctionRatio: number;
  readonly hotBiddersRatio: number;
  readonly hotSellersRatio: number;
  readonly numActivePeople: number;
  readonly numInFlightAuctions: number;
  /** Events are shuffled within groups of this many (1 = in order), as in the reference. */
  readonly outOfOrderGroupSize: number;
  /** Probability that an event's time is moved back by up to occasionalDelaySec (0 = never). */
  readonly probDelayedEvent: number;
  readonly occasionalDelaySec: number;
  /** Seeds the per-event random streams (the reference seeds nothing; we keep runs reproducible). */
  readonly seed: number;
};

export const DEFAULT_NEXMARK_CONFIG: NexmarkConfig = {
  eventsPerSecond: 10_000,
  baseTime: Date.UTC(2026, 0, 1),
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  hotAuctionRatio: 2,
  hotBiddersRatio: 4,
  hotSellersRatio: 4,
  numActivePeople: 1000,
  numInFlightAuctions: 100,
  outOfOrderGroupSize: 1,
  probDelayedEvent: 0,
  occasionalDelaySec: 3,
  seed: 0,
};

export const FIRST_PERSON_ID = 1000;
export const FIRST_AUCTION_ID = 1000;
export const FIRST_CATEGORY_ID = 10;

/** Derived values of a configuration, computed once. */
export class GeneratorConfig {
  readonly config: NexmarkConfig;
  readonly totalProportion: number;
  readonly interEventDelayUs: number;

  constructor(config: Partial<NexmarkConfig> = {}) {
    const c = { ...DEFAULT_NEXMARK_CONFIG, ...config };
    for (const k of Object.keys(DEFAULT_NEXMARK_CONFIG) as (keyof NexmarkConfig)[]) {
      if (!Number.isFinite(c[k])) throw new TypeError(`Nexmark config ${k} must be a number, got ${c[k]}`);
    }
    if (!(c.eventsPerSecond > 0)) {
      throw new RangeError(`Nexmark config eventsPerSecond must be positive, got ${c.eventsPerSecond}`);
    }
    if (!(Number.isInteger(c.outOfOrderGroupSize) && c.outOfOrderGroupSize >= 1)) {
      throw new RangeError(
        `Nexmark config outOfOrderGroupSize must be an integer >= 1 (1 = in order), got ${c.outOfOrderGroupSize}`,
      );
    }
    if (c.probDelayedEvent < 0 || c.probDelayedEvent > 1) {
      throw new RangeError(`Nexmark config probDelayedEvent must be in [0, 1], got ${c.probDelayedEvent}`);
    }
    this.config = c;
    this.totalProportion = c.personProportion + c.auctionProportion + c.bidProportion;
    this.interEventDelayUs = 1_000_000 / c.eventsPerSecond;
  }

  /** The event number (and id) an in-order position maps to after the out-of-order shuffle. */
  adjustedEventNumber(eventNumber: number): number {
    const n = this.config.outOfOrderGroupSize;
    if (n === 1) return eventNumber;
    return Math.floor(eventNumber / n) * n + ((eventNumber * 953) % n);
  }

  /** The event time of an event number: base time + number × inter-event delay (truncated to ms). */
  timestampForEvent(eventNumber: number): number {
    return this.config.baseTime + Math.floor(Math.floor(eventNumber * this.interEventDelayUs) / 1000);
  }

  /** The largest event time that no later position can be earlier than (the reference's watermark). */
  watermarkForEvent(eventNumber: number): number {
    const n = this.config.outOfOrderGroupSize;
    return this.timestampForEvent(Math.floor(eventNumber / n) * n);
  }

  /** Base-0 id of the last person made up to event `eventId`. */
  lastBase0PersonId(eventId: number): number {
    const t = this.totalProportion;
    const epoch = Math.floor(eventId / t);
    let offset = eventId % t;
    if (offset >= this.config.personProportion) offset = this.config.personProportion - 1;
    return epoch * this.config.personProportion + offset;
  }

  /** Base-0 id of the last auction made up to event `eventId` (the current one if it is an auction). */
  lastBase0AuctionId(eventId: number): number {
    const { personProportion: pp, auctionProportion: ap } = this.config;
    let epoch = Math.floor(eventId / this.totalProportion);
    let offset = eventId % this.totalProportion;
    if (offset < pp) {
      epoch--;
      offset = ap - 1;
    } else if (offset >= pp + ap) {
      offset = ap - 1;
    } else {
      offset -= pp;
    }
    return epoch * ap + offset;
  }
}
