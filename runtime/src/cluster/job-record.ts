// What the JobManager knows about one job: its submission and graph, its current execution attempt (which
// slot runs which share, and every task's state), restart bookkeeping and the exception history.
import type { CheckpointSettings } from '../api/execution-environment.ts';
import type { CheckpointCoordinator } from '../checkpoint/checkpoint-coordinator.ts';
import type { JobGraph } from '../graph/job-graph.ts';
import type { JobSubmission } from './job-submission.ts';
import type { RestartState } from './restart-strategy.ts';
import type { Endpoint } from './rpc-messages.ts';
import type { SlotRef } from './slot-plan.ts';

export type JobState =
  | 'CREATED'
  | 'RUNNING'
  | 'RESTARTING'
  | 'FAILING'
  | 'FINISHED'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED';

export type TaskExecutionState = 'created' | 'deploying' | 'running' | 'finished' | 'failed' | 'canceled';

export type Execution = {
  readonly attempt: number;
  readonly shares: readonly SlotRef[];
  readonly peers: readonly Endpoint[];
  /** `${vertexId}/${subtask}` → state. */
  readonly tasks: Map<string, TaskExecutionState>;
  readonly startTime: number;
};

export type ExceptionEntry = {
  readonly exceptionName: string;
  readonly message: string;
  readonly stacktrace: string;
  readonly timestamp: number;
  readonly taskName: string | undefined;
};

export type JobRecord = {
  readonly id: string;
  readonly name: string;
  readonly submission: JobSubmission;
  readonly graph: JobGraph;
  state: JobState;
  readonly timestamps: Partial<Record<JobState, number>>;
  readonly startTime: number;
  endTime: number | undefined;
  execution: Execution | undefined;
  nextAttempt: number;
  restart: RestartState;
  readonly exceptions: ExceptionEntry[];
  restartTimer: NodeJS.Timeout | undefined;
  /** Why the job is not running yet, e.g. "waiting for 2 more slots". */
  waitingReason: string | undefined;
  readonly checkpointing: CheckpointSettings | undefined;
  coordinator: CheckpointCoordinator | undefined;
  /** The newest checkpoint known to have completed: a restart must restore it (or a newer one). */
  lastCompletedCheckpoint: number | undefined;
  /** The checkpoint the current execution restored from. */
  restoredFrom: { id: number; path: string; at: number } | undefined;
};

export function isTerminal(state: JobState): boolean {
  return state === 'FINISHED' || state === 'FAILED' || state === 'CANCELED';
}
