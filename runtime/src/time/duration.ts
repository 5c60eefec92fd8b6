// Durations are milliseconds. Helpers read like Flink's Time/Duration; strings such as "5 s", "1min" or
// "200ms" are accepted where durations come from configuration.

export const Time = {
  milliseconds: (n: number): number => n,
  seconds: (n: number): number => n * 1000,
  minutes: (n: number): number => n * 60_000,
  hours: (n: number): number => n * 3_600_000,
  days: (n: number): number => n * 86_400_000,
};

const UNITS: Record<string, number> = {
  ms: 1,
  millis: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Parses a duration; `field` names the setting in the error message. */
export function toMillis(value: number | string, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new RangeError(`${field} must be a finite number of milliseconds, got ${value}`);
    return value;
  }
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? UNITS[(m[2] || 'ms').toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new RangeError(
      `${field}: cannot read duration "${value}"; write e.g. "200ms", "5s", "1min" or "2h"`,
    );
  }
  return Number(m[1]) * unit;
}

export function requirePositive(ms: number, what: string): number {
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new RangeError(`${what} must be a positive duration, got ${ms} ms; e.g. Time.minutes(1)`);
  }
  return ms;
}
