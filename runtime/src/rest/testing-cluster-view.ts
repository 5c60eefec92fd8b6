// A ClusterView over fixed data, for tests of the handler and the client (Flink's Testing* convention).
import type { ClusterView } from './cluster-view.ts';
import type { JobDetailsInfo } from './job-details-info.ts';
import type { JobSubmitRequest } from './job-submit.ts';
import { RestError } from './rest-error.ts';
import type {
  SavepointStatus,
  SavepointTriggerRequestBody,
  StopWithSavepointRequestBody,
} from './savepoint-requests.ts';

export const JOB_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const OTHER_JOB_ID = 'ffffffffffffffffffffffffffffffff';
export const TRIGGER_ID = '0123456789abcdef0123456789abcdef';

export const JOB_DETAILS: JobDetailsInfo = {
  jid: JOB_ID,
  name: 'wordcount',
  isStoppable: false,
  state: 'RUNNING',
  'start-time': 1_700_000_000_000,
  'end-time': -1,
  duration: 5000,
  maxParallelism: 128,
  now: 1_700_000_005_000,
  timestamps: { CREATED: 1_700_000_000_000, RUNNING: 1_700_000_001_000 },
  'status-counts': { RUNNING: 4 },
  vertices: [
    {
      id: '1',
      name: 'Source: lines -> Flat Map',
      parallelism: 2,
      maxParallelism: 128,
      status: 'RUNNING',
      'start-time': 1_700_000_001_000,
      'end-time': -1,
      duration: 4000,
      tasks: { RUNNING: 2 },
      metrics: {
        'read-bytes': 0,
        'write-bytes': 1024,
        'read-records': 0,
        'write-records': 100,
        'accumulated-backpressured-time': 0,
      },
    },
  ],
};

export class TestingClusterView implements ClusterView {
  readonly submitted: JobSubmitRequest[] = [];
  readonly savepoints: SavepointTriggerRequestBody[] = [];
  readonly stops: StopWithSavepointRequestBody[] = [];
  readonly cancelled: string[] = [];
  /** Set to make every call throw it. */
  failWith: unknown = undefined;

  #check(): void {
    if (this.failWith !== undefined) throw this.failWith;
  }

  async overview() {
    this.#check();
    return {
      taskmanagers: 2,
      'slots-total': 4,
      'slots-available': 2,
      'jobs-running': 1,
      'jobs-finished': 0,
      'jobs-cancelled': 0,
      'jobs-failed': 0,
      'riffle-version': '0.1.0',
    };
  }

  async config() {
    this.#check();
    return {
      'refresh-interval': 3000,
      'timezone-name': 'UTC',
      'timezone-offset': 0,
      'riffle-version': '0.1.0',
      features: { 'web-submit': false, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
    };
  }

  async jobs() {
    this.#check();
    return { jobs: [{ id: JOB_ID, status: 'RUNNING' as const }] };
  }

  async jobsOverview() {
    this.#check();
    return {
      jobs: [
        {
          jid: JOB_ID,
          name: 'wordcount',
          state: 'RUNNING' as const,
          'start-time': 1_700_000_000_000,
          'end-time': -1,
          duration: 5000,
          'last-modification': 1_700_000_001_000,
          tasks: { total: 4, running: 4 },
        },
      ],
    };
  }

  async job(id: string) {
    this.#check();
    return id === JOB_ID ? JOB_DETAILS : undefined;
  }

  async exceptions(id: string) {
    this.#check();
    if (id !== JOB_ID) return undefined;
    const entry = (n: number) => ({
      exceptionName: 'TaskManagerLostError',
      stacktrace: `TaskManagerLostError: tm-${n} missed its heartbeats`,
      timestamp: 1_700_000_000_000 + n,
      taskName: n === 0 ? null : `Map (1/2)`,
    });
    return {
      'root-exception': 'TaskManagerLostError: tm-2 missed its heartbeats',
      timestamp: 1_700_000_000_002,
      exceptionHistory: { entries: [entry(2), entry(1), entry(0)], truncated: false },
    };
  }

  async checkpoints(id: string) {
    this.#check();
    if (id !== JOB_ID) return undefined;
    return {
      counts: { restored: 0, total: 0, in_progress: 0, completed: 0, failed: 0 },
      latest: { completed: null, savepoint: null, failed: null, restored: null },
      history: [],
    };
  }

  async taskManagers() {
    this.#check();
    return {
      taskmanagers: [
        {
          id: 'tm-1',
          path: 'http://10.0.0.5:6122',
          dataPort: 6121,
          timeSinceLastHeartbeat: 120,
          slotsNumber: 2,
          freeSlots: 1,
          hardware: { cpuCores: 2, physicalMemory: 8e9, freeMemory: 4e9 },
        },
      ],
    };
  }

  async cancel(id: string) {
    this.#check();
    if (id !== JOB_ID) return false;
    this.cancelled.push(id);
    return true;
  }

  async submit(request: JobSubmitRequest) {
    this.#check();
    this.submitted.push(request);
    return { jobid: OTHER_JOB_ID };
  }

  async triggerSavepoint(id: string, request: SavepointTriggerRequestBody) {
    this.#check();
    if (id !== JOB_ID) return undefined;
    this.savepoints.push(request);
    return { 'request-id': request.triggerId ?? TRIGGER_ID };
  }

  async savepointStatus(id: string, triggerId: string): Promise<SavepointStatus | undefined> {
    this.#check();
    if (id !== JOB_ID || triggerId !== TRIGGER_ID) return undefined;
    return { status: { id: 'COMPLETED' }, operation: { location: 's3://bucket/sp/savepoint-1' } };
  }

  async stop(id: string, request: StopWithSavepointRequestBody) {
    this.#check();
    if (id !== JOB_ID) return undefined;
    if (request.drain && request.targetDirectory === undefined)
      throw new RestError(409, ['no targetDirectory given and no default savepoint directory configured']);
    this.stops.push(request);
    return { 'request-id': TRIGGER_ID };
  }
}
