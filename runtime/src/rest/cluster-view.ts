// What the REST API needs from the JobManager. Every method answers in the REST shapes; a job method answers
// undefined for an unknown job (the API replies 404 "job <id> not found"). A method may throw a RestError to
// choose the status (e.g. 409 to cancel a finished job, 400 for a job module that does not load); any other
// error becomes a 500 with its message.
import type { CheckpointingStatistics } from './checkpointing-statistics.ts';
import type { ClusterOverviewWithVersion } from './cluster-overview.ts';
import type { DashboardConfiguration } from './dashboard-configuration.ts';
import type { JobDetailsInfo } from './job-details-info.ts';
import type { JobExceptionsInfoWithHistory } from './job-exceptions-info.ts';
import type { JobIdsWithStatusOverview } from './job-ids-with-status.ts';
import type { JobSubmitRequest, JobSubmitResponse } from './job-submit.ts';
import type { MultipleJobsDetails } from './multiple-jobs-details.ts';
import type {
  SavepointStatus,
  SavepointTriggerRequestBody,
  StopWithSavepointRequestBody,
  TriggerResponse,
} from './savepoint-requests.ts';
import type { TaskManagersInfo } from './task-managers-info.ts';

export interface ClusterView {
  overview(): Promise<ClusterOverviewWithVersion>;
  config(): Promise<DashboardConfiguration>;
  jobs(): Promise<JobIdsWithStatusOverview>;
  jobsOverview(): Promise<MultipleJobsDetails>;
  job(jobId: string): Promise<JobDetailsInfo | undefined>;
  /** The whole history, newest first; the API applies ?maxExceptions. */
  exceptions(jobId: string): Promise<JobExceptionsInfoWithHistory | undefined>;
  checkpoints(jobId: string): Promise<CheckpointingStatistics | undefined>;
  taskManagers(): Promise<TaskManagersInfo>;
  /** false or undefined: no such job. */
  cancel(jobId: string): Promise<boolean | undefined>;
  submit(request: JobSubmitRequest): Promise<JobSubmitResponse>;
  /** With request.triggerId set, a repeated call must answer the same request id (idempotent retries). */
  triggerSavepoint(jobId: string, request: SavepointTriggerRequestBody): Promise<TriggerResponse | undefined>;
  /** undefined: no such job, or no such request for it. */
  savepointStatus(jobId: string, triggerId: string): Promise<SavepointStatus | undefined>;
  stop(jobId: string, request: StopWithSavepointRequestBody): Promise<TriggerResponse | undefined>;
}
