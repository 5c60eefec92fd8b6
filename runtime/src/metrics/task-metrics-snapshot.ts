// What a worker thread reports periodically about one operator of one subtask: cumulative counts since the
// subtask attempt started, and its current input watermark. A plain object, so it crosses postMessage.

export type TaskMetricsSnapshot = {
  readonly jobId: string;
  /** The task (chained vertex) name, as in /jobs/:jobid vertices. */
  readonly task: string;
  readonly subtask: number;
  readonly operator: string;
  /** The execution attempt: a new attempt restarts its counts from zero. */
  readonly attempt?: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly backpressuredMs: number;
  /** Event time in ms since the epoch; undefined or -Infinity before the first watermark. */
  readonly inputWatermark?: number;
  readonly lateDropped: number;
};
