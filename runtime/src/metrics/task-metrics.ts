// Per operator subtask metrics with Flink's names (numRecordsIn → riffle_task_records_in_total, ...),
// labelled job_id, task, subtask, operator, and fed from worker snapshots. Counters take the snapshots'
// cumulative totals (see CumulativeCounter); the watermark gauges are computed at scrape time, so the lag
// is now - watermark at the moment Prometheus asks, not when the snapshot arrived.
import { Gauge, type LabelValues, type Registry } from 'prom-client';
import { CumulativeCounter } from './cumulative-counter.ts';
import type { TaskMetricsSnapshot } from './task-metrics-snapshot.ts';

export const TASK_LABELS = ['job_id', 'task', 'subtask', 'operator'] as const;

export type TaskLabel = (typeof TASK_LABELS)[number];

type CounterField = 'recordsIn' | 'recordsOut' | 'bytesIn' | 'bytesOut' | 'backpressuredMs' | 'lateDropped';

/** Metric name, help, and the snapshot field it counts. */
const COUNTERS: readonly (readonly [string, string, CounterField])[] = [
  ['riffle_task_records_in_total', 'Records received by the operator (Flink numRecordsIn)', 'recordsIn'],
  ['riffle_task_records_out_total', 'Records emitted by the operator (Flink numRecordsOut)', 'recordsOut'],
  [
    'riffle_task_bytes_in_total',
    'Bytes received by the subtask from the network (Flink numBytesIn)',
    'bytesIn',
  ],
  ['riffle_task_bytes_out_total', 'Bytes sent by the subtask to the network (Flink numBytesOut)', 'bytesOut'],
  [
    'riffle_task_backpressured_time_ms_total',
    'Milliseconds the subtask waited for output credit (Flink backPressuredTimeMsPerSecond, summed)',
    'backpressuredMs',
  ],
  [
    'riffle_task_late_records_dropped_total',
    'Records dropped for arriving after the window closed (Flink numLateRecordsDropped)',
    'lateDropped',
  ],
];

type WatermarkSeries = { readonly labels: LabelValues<TaskLabel>; watermark: number };

export class TaskMetrics {
  readonly #counters: readonly (readonly [CumulativeCounter<TaskLabel>, CounterField])[];
  readonly #watermarks = new Map<string, WatermarkSeries>();

  constructor(registry: Registry, now: () => number = Date.now) {
    this.#counters = COUNTERS.map(
      ([name, help, field]) => [new CumulativeCounter(registry, name, help, TASK_LABELS), field] as const,
    );
    const watermarks = this.#watermarks;
    new Gauge({
      name: 'riffle_task_current_input_watermark',
      help: 'Event time of the last input watermark, ms since the epoch (Flink currentInputWatermark)',
      labelNames: TASK_LABELS,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of watermarks.values()) this.set(s.labels, s.watermark);
      },
    });
    new Gauge({
      name: 'riffle_task_watermark_lag_ms',
      help: 'Wall-clock time minus the current input watermark, ms',
      labelNames: TASK_LABELS,
      registers: [registry],
      collect() {
        this.reset();
        const t = now();
        for (const s of watermarks.values()) this.set(s.labels, t - s.watermark);
      },
    });
  }

  update(snapshot: TaskMetricsSnapshot): void {
    const labels: LabelValues<TaskLabel> = {
      job_id: snapshot.jobId,
      task: snapshot.task,
      subtask: String(snapshot.subtask),
      operator: snapshot.operator,
    };
    for (const [counter, field] of this.#counters) counter.set(labels, snapshot[field], snapshot.attempt);
    const key = `${snapshot.jobId}\u0000${snapshot.task}\u0000${snapshot.subtask}\u0000${snapshot.operator}`;
    const wm = snapshot.inputWatermark;
    if (wm === undefined || !Number.isFinite(wm)) this.#watermarks.delete(key);
    else this.#watermarks.set(key, { labels, watermark: wm });
  }

  /** Forgets a job's series (call when it reaches a terminal state, or they would be exported forever). */
  removeJob(jobId: string): void {
    for (const [counter] of this.#counters) counter.removeWhere((l) => l.job_id === jobId);
    for (const [key, s] of this.#watermarks) if (s.labels.job_id === jobId) this.#watermarks.delete(key);
  }
}
