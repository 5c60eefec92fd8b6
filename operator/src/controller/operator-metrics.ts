// Prometheus metrics of the operator (prom-client, own registry, default process metrics included).
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({
    name: 'riffle_operator_reconcile_total',
    help: 'Reconcile passes by result (success, conflict, error)',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly reconcileSeconds = new Histogram({
    name: 'riffle_operator_reconcile_duration_seconds',
    help: 'Duration of one reconcile pass',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly actions = new Counter({
    name: 'riffle_operator_actions_total',
    help: 'Actions taken, by kind (apply-children, trigger-savepoint, event, ...)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'riffle_operator_workqueue_depth',
    help: 'StreamJobs waiting in the work queue',
    registers: [this.registry],
  });
  readonly streamJobs = new Gauge({
    name: 'riffle_operator_streamjobs',
    help: 'StreamJobs by lifecycle state, as of their last pass',
    labelNames: ['lifecycle_state'],
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'riffle_operator_leader',
    help: '1 while this replica holds the leader lease',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'riffle_operator_' });
  }
}
