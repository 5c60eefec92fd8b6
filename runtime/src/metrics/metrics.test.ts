import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRestHandler } from '../rest/rest-handler.ts';
import { startRestServer } from '../rest/rest-server.ts';
import { TestingClusterView } from '../rest/testing-cluster-view.ts';
import { JobManagerMetrics } from './job-manager-metrics.ts';
import { createMetricsHandler } from './metrics-handler.ts';
import { createMetricsRegistry } from './metrics-registry.ts';
import { TaskManagerMetrics } from './task-manager-metrics.ts';
import { TaskMetrics } from './task-metrics.ts';
import type { TaskMetricsSnapshot } from './task-metrics-snapshot.ts';

const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function snapshot(overrides: Partial<TaskMetricsSnapshot> = {}): TaskMetricsSnapshot {
  return {
    jobId: JOB,
    task: 'Window(Tumbling 1s)',
    subtask: 1,
    operator: 'window',
    recordsIn: 0,
    recordsOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    backpressuredMs: 0,
    lateDropped: 0,
    ...overrides,
  };
}

/** The value of one series in the text format, matched by name and a label substring. */
function value(text: string, name: string, labelPart = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!line.includes(labelPart)) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

const SERIES = `job_id="${JOB}",task="Window(Tumbling 1s)",subtask="1",operator="window"`;

test('default process metrics and the component label', async () => {
  const registry = createMetricsRegistry({ component: 'taskmanager', labels: { taskmanager_id: 'tm-1' } });
  const text = await registry.metrics();
  assert.match(text, /nodejs_eventloop_lag_seconds\{taskmanager_id="tm-1",component="taskmanager"\}/);
  assert.match(text, /process_resident_memory_bytes/);
  assert.match(text, /nodejs_heap_size_used_bytes/);
});

test('counters follow cumulative snapshots and keep rising across a restarted subtask', async () => {
  const registry = createMetricsRegistry({ component: 'taskmanager', defaultMetrics: false });
  const metrics = new TaskMetrics(registry);
  metrics.update(snapshot({ recordsIn: 100, bytesIn: 4000, recordsOut: 90, lateDropped: 2, attempt: 0 }));
  metrics.update(snapshot({ recordsIn: 250, bytesIn: 9000, recordsOut: 200, lateDropped: 2, attempt: 0 }));
  let text = await registry.metrics();
  assert.match(text, `riffle_task_records_in_total{${SERIES},component="taskmanager"} 250`);
  assert.is(value(text, 'riffle_task_bytes_in_total'), 9000);
  assert.is(value(text, 'riffle_task_records_out_total'), 200);
  assert.is(value(text, 'riffle_task_late_records_dropped_total'), 2);
  assert.match(text, /# TYPE riffle_task_records_in_total counter/);
  // A new attempt starts from zero: its counts are added whole.
  metrics.update(snapshot({ recordsIn: 300, attempt: 1 }));
  // A smaller total in the same attempt is read as a restart too.
  metrics.update(snapshot({ recordsIn: 10, attempt: 1 }));
  text = await registry.metrics();
  assert.is(value(text, 'riffle_task_records_in_total'), 250 + 300 + 10);
  // Nonsense totals are ignored.
  metrics.update(snapshot({ recordsIn: Number.NaN, attempt: 1 }));
  assert.is(value(await registry.metrics(), 'riffle_task_records_in_total'), 560);
});

test('series are per subtask and operator, and removed with their job', async () => {
  const registry = createMetricsRegistry({ component: 'taskmanager', defaultMetrics: false });
  const metrics = new TaskMetrics(registry);
  metrics.update(snapshot({ subtask: 0, backpressuredMs: 30 }));
  metrics.update(snapshot({ subtask: 1, backpressuredMs: 70 }));
  metrics.update(snapshot({ jobId: 'other', backpressuredMs: 5, inputWatermark: 1 }));
  let text = await registry.metrics();
  assert.is(value(text, 'riffle_task_backpressured_time_ms_total', 'subtask="0"'), 30);
  assert.is(
    value(text, 'riffle_task_backpressured_time_ms_total', `${JOB}",task="Window(Tumbling 1s)",subtask="1"`),
    70,
  );
  metrics.removeJob(JOB);
  text = await registry.metrics();
  assert.not.match(text, JOB);
  assert.is(value(text, 'riffle_task_backpressured_time_ms_total', 'job_id="other"'), 5);
  assert.is(value(text, 'riffle_task_current_input_watermark', 'job_id="other"'), 1);
});

test('the watermark lag is computed when Prometheus scrapes', async () => {
  let now = 10_000;
  const registry = createMetricsRegistry({ component: 'taskmanager', defaultMetrics: false });
  const metrics = new TaskMetrics(registry, () => now);
  metrics.update(snapshot({ inputWatermark: 9_000 }));
  let text = await registry.metrics();
  assert.is(value(text, 'riffle_task_current_input_watermark'), 9_000);
  assert.is(value(text, 'riffle_task_watermark_lag_ms'), 1_000);
  now = 12_500;
  assert.is(value(await registry.metrics(), 'riffle_task_watermark_lag_ms'), 3_500);
  // Before the first watermark (or -Infinity, Flink's Long.MIN_VALUE) there is no series.
  metrics.update(snapshot({ inputWatermark: Number.NEGATIVE_INFINITY }));
  text = await registry.metrics();
  assert.is(value(text, 'riffle_task_current_input_watermark'), undefined);
  assert.is(value(text, 'riffle_task_watermark_lag_ms'), undefined);
});

test('TaskManager and JobManager metrics', async () => {
  const tm = createMetricsRegistry({ component: 'taskmanager', defaultMetrics: false });
  new TaskManagerMetrics(tm).setSlots(4, 1);
  const tmText = await tm.metrics();
  assert.is(value(tmText, 'riffle_taskmanager_slots_total'), 4);
  assert.is(value(tmText, 'riffle_taskmanager_slots_free'), 1);

  const jm = createMetricsRegistry({ component: 'jobmanager', defaultMetrics: false });
  const metrics = new JobManagerMetrics(jm);
  metrics.setTaskManagersRegistered(2);
  metrics.heartbeatReceived();
  metrics.heartbeatReceived();
  metrics.heartbeatTimedOut();
  metrics.jobRestarted(JOB);
  metrics.setJobStates(['RUNNING', 'FINISHED', 'RUNNING']);
  let text = await jm.metrics();
  assert.is(value(text, 'riffle_jobmanager_taskmanagers_registered'), 2);
  assert.is(value(text, 'riffle_jobmanager_heartbeats_received_total'), 2);
  assert.is(value(text, 'riffle_jobmanager_heartbeat_timeouts_total'), 1);
  assert.is(value(text, 'riffle_jobmanager_job_restarts_total', JOB), 1);
  assert.is(value(text, 'riffle_jobmanager_jobs', 'state="RUNNING"'), 2);
  assert.is(value(text, 'riffle_jobmanager_jobs', 'state="FINISHED"'), 1);
  metrics.setJobStates(['CANCELED']);
  text = await jm.metrics();
  assert.is(value(text, 'riffle_jobmanager_jobs', 'state="RUNNING"'), undefined);
  assert.is(value(text, 'riffle_jobmanager_jobs', 'state="CANCELED"'), 1);
});

test('GET /metrics over HTTP; other paths and methods are refused', async () => {
  const registry = createMetricsRegistry({ component: 'jobmanager' });
  new JobManagerMetrics(registry).setTaskManagersRegistered(3);
  const server = createServer(createMetricsHandler(registry));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const res = await fetch(`${url}/metrics`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', 'text/plain; version=0.0.4');
    const text = await res.text();
    assert.is(value(text, 'riffle_jobmanager_taskmanagers_registered'), 3);
    assert.match(text, /nodejs_eventloop_lag_seconds/);
    assert.is((await fetch(`${url}/other`)).status, 404);
    assert.is((await fetch(`${url}/metrics`, { method: 'POST' })).status, 405);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('the JobManager serves them on its REST port, with or without /v1', async () => {
  const registry = createMetricsRegistry({ component: 'jobmanager', defaultMetrics: false });
  new JobManagerMetrics(registry).heartbeatReceived();
  const rest = createRestHandler(new TestingClusterView(), { metrics: createMetricsHandler(registry) });
  const server = await startRestServer(rest);
  try {
    for (const path of ['/metrics', '/v1/metrics']) {
      const res = await fetch(server.url + path);
      assert.is(res.status, 200);
      assert.is(value(await res.text(), 'riffle_jobmanager_heartbeats_received_total'), 1);
    }
  } finally {
    await server.close();
  }
});

test.run();
