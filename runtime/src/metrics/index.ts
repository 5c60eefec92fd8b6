// Prometheus metrics of Riffle's processes (prom-client): one registry per process, Flink's metric names
// prefixed riffle_, and the GET /metrics handler.
export { CumulativeCounter } from './cumulative-counter.ts';
export { JobManagerMetrics } from './job-manager-metrics.ts';
export { createMetricsHandler } from './metrics-handler.ts';
export {
  createMetricsRegistry,
  type MetricsRegistryOptions,
  type RiffleComponent,
} from './metrics-registry.ts';
export { TaskManagerMetrics } from './task-manager-metrics.ts';
export { TASK_LABELS, type TaskLabel, TaskMetrics } from './task-metrics.ts';
export type { TaskMetricsSnapshot } from './task-metrics-snapshot.ts';
