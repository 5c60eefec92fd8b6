// JobManager-level metrics: registered TaskManagers, heartbeats and their timeouts, restarts (Flink's
// numRestarts) and jobs per state.
import { Counter, Gauge, type Registry } from 'prom-client';

export class JobManagerMetrics {
  readonly #taskManagers: Gauge;
  readonly #heartbeats: Counter;
  readonly #heartbeatTimeouts: Counter;
  readonly #restarts: Counter<'job_id'>;
  #jobStates: readonly string[] = [];

  constructor(registry: Registry) {
    const registers = [registry];
    this.#taskManagers = new Gauge({
      name: 'riffle_jobmanager_taskmanagers_registered',
      help: 'TaskManagers registered with the JobManager',
      registers,
    });
    this.#heartbeats = new Counter({
      name: 'riffle_jobmanager_heartbeats_received_total',
      help: 'Heartbeats received from TaskManagers',
      registers,
    });
    this.#heartbeatTimeouts = new Counter({
      name: 'riffle_jobmanager_heartbeat_timeouts_total',
      help: 'TaskManagers declared lost for missing their heartbeats',
      registers,
    });
    this.#restarts = new Counter({
      name: 'riffle_jobmanager_job_restarts_total',
      help: 'Restarts of a job after a failure (Flink numRestarts)',
      labelNames: ['job_id'],
      registers,
    });
    const jobStates = () => this.#jobStates;
    new Gauge({
      name: 'riffle_jobmanager_jobs',
      help: 'Jobs known to the JobManager, by state',
      labelNames: ['state'],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const s of jobStates()) counts.set(s, (counts.get(s) ?? 0) + 1);
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
  }

  setTaskManagersRegistered(count: number): void {
    this.#taskManagers.set(count);
  }

  heartbeatReceived(): void {
    this.#heartbeats.inc();
  }

  heartbeatTimedOut(): void {
    this.#heartbeatTimeouts.inc();
  }

  jobRestarted(jobId: string): void {
    this.#restarts.inc({ job_id: jobId });
  }

  /** The state of every job, e.g. ['RUNNING', 'FINISHED', 'RUNNING']; counted at scrape time. */
  setJobStates(states: Iterable<string>): void {
    this.#jobStates = [...states];
  }
}
