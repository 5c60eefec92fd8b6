// A Prometheus counter fed with cumulative totals read elsewhere (a worker thread's counters, sent as
// snapshots). prom-client counters can only be incremented, and a counter must never go down, so each
// update adds the difference to the last total seen for the series. A total below the last one, or a new
// attempt number, means the source restarted from zero (a restarted subtask): the new total is added whole,
// so the exported counter keeps rising and rate() stays right. Gauges named *_total would instead go down
// on every restart, which Prometheus would read as a counter reset on a series it does not know is one.
import { Counter, type LabelValues, type Registry } from 'prom-client';

type Series<L extends string> = {
  readonly labels: LabelValues<L>;
  total: number;
  attempt: number | undefined;
};

export class CumulativeCounter<L extends string> {
  readonly #counter: Counter<L>;
  readonly #labelNames: readonly L[];
  readonly #series = new Map<string, Series<L>>();

  constructor(registry: Registry, name: string, help: string, labelNames: readonly L[]) {
    this.#counter = new Counter({ name, help, labelNames, registers: [registry] });
    this.#labelNames = labelNames;
  }

  /** Moves the series to a cumulative total; attempt, when given, tells restarts apart. */
  set(labels: LabelValues<L>, total: number, attempt?: number): void {
    if (!Number.isFinite(total) || total < 0) return;
    const key = this.#labelNames.map((n) => String(labels[n])).join('\u0000');
    const last = this.#series.get(key);
    if (last === undefined) {
      this.#counter.inc(labels, total);
      this.#series.set(key, { labels, total, attempt });
      return;
    }
    const restarted = total < last.total || attempt !== last.attempt;
    const delta = restarted ? total : total - last.total;
    if (delta > 0) this.#counter.inc(labels, delta);
    last.total = total;
    last.attempt = attempt;
  }

  /** Drops every series whose labels match, e.g. those of a job that ended. */
  removeWhere(match: (labels: LabelValues<L>) => boolean): void {
    for (const [key, series] of this.#series) {
      if (!match(series.labels)) continue;
      this.#counter.remove(series.labels);
      this.#series.delete(key);
    }
  }
}
