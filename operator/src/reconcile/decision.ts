// What decide() asks the controller to do in one pass, and the status to record afterwards.
import type { StreamJobSpec } from '../api/stream-job-spec.ts';
import type { StreamJobStatus } from '../api/stream-job-status.ts';

/** How the pods of one deployment start: the job id, what they restore from, and the mode chosen. */
export type DeploymentPlan = {
  readonly jobId: string;
  readonly restoreFrom: string | undefined;
  readonly mode: 'stateless' | 'savepoint' | 'last-state';
  /** last-state: the JobManager must find HA metadata (a completed checkpoint) or refuse to start. */
  readonly requireCheckpoint: boolean;
  readonly running: boolean;
  readonly generation: number;
};

export type EventType = 'Normal' | 'Warning';

export type Action =
  | {
      readonly kind: 'apply-children';
      readonly spec: StreamJobSpec;
      readonly plan: DeploymentPlan;
      readonly planHash: string;
    }
  | {
      readonly kind: 'trigger-savepoint';
      readonly jobId: string;
      readonly triggerId: string;
      readonly directory: string;
      readonly stop: boolean;
    }
  | { readonly kind: 'add-finalizer' }
  | { readonly kind: 'remove-finalizer' }
  | { readonly kind: 'event'; readonly type: EventType; readonly reason: string; readonly message: string };

export type Decision = {
  readonly actions: readonly Action[];
  /** The whole new status; the controller patches it after the actions succeeded. */
  readonly status: StreamJobStatus;
  /** Run the next pass after this long even if nothing changes (polling the JobManager). */
  readonly requeueAfterMs: number;
};
