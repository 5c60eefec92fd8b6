// What one pass observed about a StreamJob's children and its job, gathered by controller/observe.ts. Pure
// data: decide() reads only this, the StreamJob and the time.
import type { CheckpointRecord } from '../api/stream-job-status.ts';

export type DeploymentObservation =
  | { readonly exists: false }
  | {
      readonly exists: true;
      /** The riffle.dev/deployment-hash annotation: which plan the pods run. */
      readonly planHash: string | undefined;
      readonly replicas: number;
      readonly readyReplicas: number;
    };

export type SavepointPoll =
  | { readonly state: 'in-progress' }
  | { readonly state: 'completed'; readonly location: string }
  | { readonly state: 'failed'; readonly message: string }
  /** The JobManager does not know the trigger (it restarted): the savepoint will not complete. */
  | { readonly state: 'unknown' };

export type RestObservation =
  | { readonly reachable: false; readonly error: string }
  | {
      readonly reachable: true;
      /** undefined: the JobManager answers but does not (yet) run the job with status.deployment.jobId. */
      readonly jobState: string | undefined;
      readonly lastCheckpoint: CheckpointRecord | undefined;
      readonly savepoint: SavepointPoll | undefined;
    };

export type Observation = {
  readonly jobManager: DeploymentObservation;
  readonly taskManager: DeploymentObservation;
  /** A JobManager container that cannot run (CrashLoopBackOff, ImagePullBackOff, OOMKilled, ...). */
  readonly jobManagerProblem: string | undefined;
  /** undefined when nothing is deployed (no REST call was made). */
  readonly rest: RestObservation | undefined;
};
