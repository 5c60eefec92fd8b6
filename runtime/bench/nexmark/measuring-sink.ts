// The benchmark sink: counts a query's output and, for paced runs (event time = wall clock), samples
// end-to-end latency as arrival time − the record's timestamp (window results: the window's last
// millisecond). At the end of input each subtask writes
// `<prefix>.<subtask>.json`: {count, latencies: {p50, p99, max} | null}.
import { writeFileSync } from 'node:fs';
import type { Sink, SinkWriter } from '../../src/index.ts';

export type SinkReport = {
  count: number;
  samples: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
};

const MAX_SAMPLES = 1 << 20;

export class MeasuringSink<T> implements Sink<T> {
  readonly #prefix: string;
  readonly #latency: boolean;
  readonly #measureFrom: number;

  /** Latency is sampled for records with timestamps from `measureFrom` on (earlier ones are warm-up). */
  constructor(prefix: string, latency: boolean, measureFrom = Number.NEGATIVE_INFINITY) {
    this.#prefix = prefix;
    this.#latency = latency;
    this.#measureFrom = measureFrom;
  }

  createWriter(ctx: { subtaskIndex: number }): SinkWriter<T> {
    let count = 0;
    let every = 1;
    const samples: number[] = [];
    const latency = this.#latency;
    const measureFrom = this.#measureFrom;
    const file = `${this.#prefix}.${ctx.subtaskIndex}.json`;
    return {
      write: (_v: T, timestamp: number) => {
        count++;
        if (!latency || timestamp < measureFrom || count % every !== 0) return;
        const ms = Date.now() - timestamp;
        // Window results forced out by the end of input arrive before their time; they are not latencies.
        if (ms < 0) return;
        samples.push(ms);
        if (samples.length === MAX_SAMPLES) {
          // Keep every other sample and sample half as often from now on.
          for (let i = 0; i < MAX_SAMPLES / 2; i++) samples[i] = samples[2 * i]!;
          samples.length = MAX_SAMPLES / 2;
          every *= 2;
        }
      },
      flush: (end: boolean) => {
        if (!end) return;
        samples.sort((a, b) => a - b);
        const at = (q: number) =>
          samples.length === 0
            ? null
            : samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
        const report: SinkReport = {
          count,
          samples: samples.length,
          p50: at(0.5),
          p99: at(0.99),
          max: samples.at(-1) ?? null,
        };
        writeFileSync(file, JSON.stringify(report));
      },
      close() {},
    };
  }
}
