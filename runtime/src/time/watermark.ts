// Time in Riffle is epoch milliseconds as a JavaScript number.

/** The timestamp of a record that has none (no timestamp assigner ran). */
export const NO_TIMESTAMP = Number.NEGATIVE_INFINITY;
/** The watermark before any watermark arrived. */
export const MIN_WATERMARK = Number.NEGATIVE_INFINITY;
/** The watermark that ends event time: emitted when a bounded input ends; fires every event-time timer. */
export const MAX_WATERMARK = Number.POSITIVE_INFINITY;

export function formatTimestamp(ts: number): string {
  if (ts === NO_TIMESTAMP) return 'none';
  if (ts === MAX_WATERMARK) return '+inf';
  return Number.isFinite(ts) ? `${ts}` : String(ts);
}
