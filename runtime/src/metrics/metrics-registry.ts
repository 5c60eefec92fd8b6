// One Prometheus registry per process, its series labelled with the component (and e.g. the TaskManager
// id), with Node's default process metrics: CPU, resident and heap memory, GC, and event-loop lag
// (nodejs_eventloop_lag_seconds and its percentiles).
import { collectDefaultMetrics, Registry } from 'prom-client';

export type RiffleComponent = 'jobmanager' | 'taskmanager';

export type MetricsRegistryOptions = {
  readonly component: RiffleComponent;
  /** Added to every series, e.g. { taskmanager_id: 'tm-1' }; names must be Prometheus label names. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Collect Node's process metrics; default true. */
  readonly defaultMetrics?: boolean;
};

export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ ...options.labels, component: options.component });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}
