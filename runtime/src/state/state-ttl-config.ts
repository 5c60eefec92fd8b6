// State time-to-live, as in Flink: processing time only; the last-modified time is stored with each value.
export type TtlUpdateType = 'OnCreateAndWrite' | 'OnReadAndWrite';
export type TtlStateVisibility = 'NeverReturnExpired' | 'ReturnExpiredIfNotCleanedUp';

export type StateTtlConfig = {
  readonly ttlMs: number;
  readonly updateType: TtlUpdateType;
  readonly visibility: TtlStateVisibility;
  /** Entries checked for expiry on each state access (Flink's cleanupIncrementally, default 5). */
  readonly cleanupSize: number;
};

export class StateTtlConfigBuilder {
  #config: { -readonly [K in keyof StateTtlConfig]: StateTtlConfig[K] };

  constructor(ttlMs: number) {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new RangeError(`state TTL must be a positive number of milliseconds, got ${ttlMs}`);
    }
    this.#config = {
      ttlMs,
      updateType: 'OnCreateAndWrite',
      visibility: 'NeverReturnExpired',
      cleanupSize: 5,
    };
  }

  setUpdateType(updateType: TtlUpdateType): this {
    this.#config.updateType = updateType;
    return this;
  }

  setStateVisibility(visibility: TtlStateVisibility): this {
    this.#config.visibility = visibility;
    return this;
  }

  cleanupIncrementally(cleanupSize: number): this {
    this.#config.cleanupSize = cleanupSize;
    return this;
  }

  build(): StateTtlConfig {
    return { ...this.#config };
  }
}

export const StateTtlConfig = {
  newBuilder(ttlMs: number): StateTtlConfigBuilder {
    return new StateTtlConfigBuilder(ttlMs);
  },
};
