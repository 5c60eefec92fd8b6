// The JobManager's state in the shapes of Flink's REST API (paths and kebab-case keys as Flink has them),
// for the REST server. Pure reads, apart from cancel and submit which delegate to the JobManager.
import { randomUUID } from 'node:crypto';
import type {
  ClusterView,
  ExecutionState,
  SavepointTriggerRequestBody,
  StopWithSavepointRequestBody,
  TriggerResponse,
} from '../rest/index.ts';
import { RestError } from '../rest/rest-error.ts';
import type { JobManager } from './job-manager.ts';
import { isTerminal, type JobRecord, type JobState } from './job-record.ts';
import type { JobSubmission } from './job-submission.ts';

export const RIFFLE_VERSION = '0.1.0';

export class JobManagerView implements ClusterView {
  readonly #jm: JobManager;
  readonly #now: () => number;
  readonly #savepointRequests = new Map<
    string,
    { jobId: string; requestedAt: number; location?: string; failure?: string }
  >();

  constructor(jm: JobManager, now: () => number = Date.now) {
    this.#jm = jm;
    this.#now = now;
  }

  async overview() {
    const slotsTotal = [...this.#jm.taskManagers.values()].reduce((n, tm) => n + tm.slots.length, 0);
    const jobs = [...this.#jm.jobs.values()];
    const count = (s: JobState) => jobs.filter((j) => j.state === s).length;
    return {
      taskmanagers: this.#jm.taskManagers.size,
      'slots-total': slotsTotal,
      'slots-available': this.#jm.freeSlots().length,
      'jobs-running': jobs.filter((j) => !isTerminal(j.state)).length,
      'jobs-finished': count('FINISHED'),
      'jobs-cancelled': count('CANCELED'),
      'jobs-failed': count('FAILED'),
      'riffle-version': RIFFLE_VERSION,
    };
  }

  async config() {
    return {
      'refresh-interval': 3000,
      'timezone-name': Intl.DateTimeFormat().resolvedOptions().timeZone,
      'timezone-offset': -new Date().getTimezoneOffset() * 60_000,
      'riffle-version': RIFFLE_VERSION,
      features: { 'web-submit': false, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
    };
  }

  async jobs() {
    return { jobs: [...this.#jm.jobs.values()].map((j) => ({ id: j.id, status: j.state })) };
  }

  async jobsOverview() {
    return { jobs: [...this.#jm.jobs.values()].map((j) => this.#summary(j)) };
  }

  #summary(j: JobRecord) {
    const now = this.#now();
    const tasks = this.#taskCounts(j);
    return {
      jid: j.id,
      name: j.name,
      state: j.state,
      'start-time': j.startTime,
      'end-time': j.endTime ?? -1,
      duration: (j.endTime ?? now) - j.startTime,
      'last-modification': Math.max(...Object.values(j.timestamps).map((t) => t ?? 0)),
      tasks,
    };
  }

  #taskCounts(j: JobRecord): Record<string, number> {
    const counts: Record<string, number> = {
      total: 0,
      created: 0,
      deploying: 0,
      running: 0,
      finished: 0,
      canceled: 0,
      failed: 0,
    };
    for (const v of j.graph.vertices) counts.total! += v.parallelism;
    for (const s of j.execution?.tasks.values() ?? []) counts[s] = (counts[s] ?? 0) + 1;
    return counts;
  }

  async job(id: string) {
    const j = this.#jm.jobs.get(id);
    if (j === undefined) return undefined;
    const now = this.#now();
    const statusCounts: Record<string, number> = {};
    for (const s of j.execution?.tasks.values() ?? [])
      statusCounts[s.toUpperCase()] = (statusCounts[s.toUpperCase()] ?? 0) + 1;
    return {
      jid: j.id,
      name: j.name,
      isStoppable: false,
      state: j.state,
      'start-time': j.startTime,
      'end-time': j.endTime ?? -1,
      duration: (j.endTime ?? now) - j.startTime,
      maxParallelism: j.graph.streamGraph.maxParallelism,
      now,
      timestamps: j.timestamps as Record<string, number>,
      'status-counts': statusCounts,
      'waiting-reason': j.waitingReason ?? null,
      vertices: j.graph.vertices.map((v) => {
        const states = Array.from({ length: v.parallelism }, (_, i) =>
          j.execution?.tasks.get(`${v.id}/${i}`),
        );
        const tasks: Record<string, number> = {};
        for (const s of states)
          if (s !== undefined) tasks[s.toUpperCase()] = (tasks[s.toUpperCase()] ?? 0) + 1;
        return {
          id: String(v.id),
          name: v.name,
          parallelism: v.parallelism,
          maxParallelism: v.maxParallelism,
          status: vertexStatus(states, j.state),
          'start-time': j.execution?.startTime ?? -1,
          'end-time': -1,
          duration: j.execution === undefined ? 0 : now - j.execution.startTime,
          tasks,
          metrics: {
            'read-bytes': 0,
            'write-bytes': 0,
            'read-records': 0,
            'write-records': 0,
            'accumulated-backpressured-time': 0,
          },
        };
      }),
    };
  }

  async exceptions(id: string) {
    const j = this.#jm.jobs.get(id);
    if (j === undefined) return undefined;
    const root = j.exceptions[0];
    return {
      'root-exception': root === undefined ? null : `${root.exceptionName}: ${root.message}`,
      timestamp: root?.timestamp ?? null,
      exceptionHistory: {
        entries: j.exceptions.map((e) => ({
          exceptionName: e.exceptionName,
          stacktrace: e.stacktrace,
          timestamp: e.timestamp,
          taskName: e.taskName ?? null,
        })),
        truncated: false,
      },
    };
  }

  async checkpoints(id: string) {
    const j = this.#jm.jobs.get(id);
    if (j === undefined) return undefined;
    const stats = j.coordinator?.stats;
    const last = stats?.lastCompleted;
    return {
      counts: {
        restored: j.restoredFrom === undefined ? 0 : 1,
        total: (stats?.completed ?? 0) + (stats?.failed ?? 0),
        in_progress: 0,
        completed: stats?.completed ?? 0,
        failed: stats?.failed ?? 0,
      },
      latest: {
        completed:
          last === undefined
            ? null
            : {
                id: last.id,
                status: 'COMPLETED' as const,
                is_savepoint: false,
                trigger_timestamp: last.timestamp,
                end_to_end_duration: last.durationMs,
                state_size: last.sizeBytes,
                external_path: last.path,
              },
        savepoint: null,
        failed:
          stats?.lastFailure === undefined
            ? null
            : {
                id: stats.lastFailure.id,
                failure_timestamp: stats.lastFailure.timestamp,
                failure_message: stats.lastFailure.reason,
              },
        restored:
          j.restoredFrom === undefined
            ? null
            : {
                id: j.restoredFrom.id,
                restore_timestamp: j.restoredFrom.at,
                is_savepoint: false,
                external_path: j.restoredFrom.path,
              },
      },
      history: [],
    };
  }

  async taskManagers() {
    const now = this.#now();
    const free = new Set(this.#jm.freeSlots().map((s) => `${s.taskManagerId}/${s.slotIndex}`));
    return {
      taskmanagers: [...this.#jm.taskManagers.values()].map((tm) => ({
        id: tm.taskManagerId,
        path: tm.controlUrl,
        dataPort: tm.slots[0]?.data.port ?? 0,
        timeSinceLastHeartbeat: now - tm.lastHeartbeat,
        slotsNumber: tm.slots.length,
        freeSlots: tm.slots.filter((s) => free.has(`${tm.taskManagerId}/${s.index}`)).length,
        hardware: tm.hardware,
      })),
    };
  }

  async cancel(id: string): Promise<boolean> {
    return this.#jm.cancel(id);
  }

  async submit(request: JobSubmission): Promise<{ jobid: string }> {
    const job = await this.#jm.submit(request);
    return { jobid: job.id };
  }

  /** Starts a savepoint (Flink's body: target-directory, cancel-job); poll savepointStatus with the id. */
  async triggerSavepoint(
    id: string,
    request: SavepointTriggerRequestBody,
  ): Promise<TriggerResponse | undefined> {
    return this.#savepoint(id, request['target-directory'], request['cancel-job'], request.triggerId);
  }

  /** Stop-with-savepoint (Flink's body: targetDirectory, drain). */
  async stop(id: string, request: StopWithSavepointRequestBody): Promise<TriggerResponse | undefined> {
    return this.#savepoint(id, request.targetDirectory, true, request.triggerId);
  }

  async #savepoint(
    id: string,
    targetDirectory: string | undefined,
    stop: boolean,
    triggerId: string | undefined,
  ): Promise<TriggerResponse | undefined> {
    const job = this.#jm.jobs.get(id);
    if (job === undefined) return undefined;
    if (triggerId !== undefined && this.#savepointRequests.get(triggerId)?.jobId === id)
      return { 'request-id': triggerId };
    const target = targetDirectory ?? job.checkpointing?.storage;
    if (target === undefined) {
      throw new RestError(400, [
        'target-directory: the job has no checkpoint storage to default to; give the savepoint directory',
      ]);
    }
    const requestId = triggerId ?? randomUUID().replaceAll('-', '');
    const entry: { jobId: string; requestedAt: number; location?: string; failure?: string } = {
      jobId: id,
      requestedAt: this.#now(),
    };
    this.#savepointRequests.set(requestId, entry);
    this.#jm.savepoint(id, target, stop).then(
      (location) => {
        entry.location = location;
      },
      (e: Error) => {
        entry.failure = e.message;
      },
    );
    return { 'request-id': requestId };
  }

  async savepointStatus(id: string, triggerId: string) {
    const r = this.#savepointRequests.get(triggerId);
    if (r === undefined || r.jobId !== id) return undefined;
    if (r.location === undefined && r.failure === undefined)
      return { status: { id: 'IN_PROGRESS' as const } };
    return {
      status: { id: 'COMPLETED' as const },
      operation:
        r.location !== undefined
          ? { location: r.location }
          : { 'failure-cause': { class: 'SavepointException', 'stack-trace': r.failure! } },
    };
  }
}

function vertexStatus(states: (string | undefined)[], jobState: JobState): ExecutionState {
  if (states.every((s) => s === undefined)) {
    if (jobState === 'FINISHED' || jobState === 'CANCELED' || jobState === 'FAILED') return jobState;
    return 'CREATED';
  }
  for (const s of ['failed', 'deploying', 'created', 'running', 'canceled'] as const) {
    if (states.includes(s)) return s.toUpperCase() as ExecutionState;
  }
  return 'FINISHED';
}
