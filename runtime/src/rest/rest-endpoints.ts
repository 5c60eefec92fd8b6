// The REST contract of the JobManager in one table: method, path (Flink's), success status and the schemas
// of path params, query, body and response. The server routes and validates with it; the client builds its
// calls and checks the answers with it.
import type { z } from 'zod';
import { CheckpointingStatistics } from './checkpointing-statistics.ts';
import { ClusterOverviewWithVersion } from './cluster-overview.ts';
import { DashboardConfiguration } from './dashboard-configuration.ts';
import { JobId, TriggerId } from './ids.ts';
import { EmptyResponse, JobCancellationQuery } from './job-cancellation.ts';
import { JobDetailsInfo } from './job-details-info.ts';
import { JobExceptionsInfoWithHistory, JobExceptionsQuery } from './job-exceptions-info.ts';
import { JobIdsWithStatusOverview } from './job-ids-with-status.ts';
import { JobSubmitRequest, JobSubmitResponse } from './job-submit.ts';
import { MultipleJobsDetails } from './multiple-jobs-details.ts';
import {
  SavepointStatus,
  SavepointTriggerRequestBody,
  StopWithSavepointRequestBody,
  TriggerResponse,
} from './savepoint-requests.ts';
import { TaskManagersInfo } from './task-managers-info.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

export type RestEndpoint = {
  readonly method: HttpMethod;
  readonly path: string;
  readonly status: number;
  readonly response: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
};

/** Schemas of the path params, by name. */
export const PATH_PARAMS: Record<string, z.ZodType<string>> = { jobid: JobId, triggerid: TriggerId };

export const REST_ENDPOINTS = {
  overview: { method: 'GET', path: '/overview', status: 200, response: ClusterOverviewWithVersion },
  config: { method: 'GET', path: '/config', status: 200, response: DashboardConfiguration },
  jobs: { method: 'GET', path: '/jobs', status: 200, response: JobIdsWithStatusOverview },
  jobsOverview: { method: 'GET', path: '/jobs/overview', status: 200, response: MultipleJobsDetails },
  submit: {
    method: 'POST',
    path: '/jobs',
    status: 202,
    body: JobSubmitRequest,
    response: JobSubmitResponse,
  },
  job: { method: 'GET', path: '/jobs/:jobid', status: 200, response: JobDetailsInfo },
  cancel: {
    method: 'PATCH',
    path: '/jobs/:jobid',
    status: 202,
    query: JobCancellationQuery,
    response: EmptyResponse,
  },
  exceptions: {
    method: 'GET',
    path: '/jobs/:jobid/exceptions',
    status: 200,
    query: JobExceptionsQuery,
    response: JobExceptionsInfoWithHistory,
  },
  checkpoints: {
    method: 'GET',
    path: '/jobs/:jobid/checkpoints',
    status: 200,
    response: CheckpointingStatistics,
  },
  triggerSavepoint: {
    method: 'POST',
    path: '/jobs/:jobid/savepoints',
    status: 202,
    body: SavepointTriggerRequestBody,
    response: TriggerResponse,
  },
  savepointStatus: {
    method: 'GET',
    path: '/jobs/:jobid/savepoints/:triggerid',
    status: 200,
    response: SavepointStatus,
  },
  stop: {
    method: 'POST',
    path: '/jobs/:jobid/stop',
    status: 202,
    body: StopWithSavepointRequestBody,
    response: TriggerResponse,
  },
  taskManagers: { method: 'GET', path: '/taskmanagers', status: 200, response: TaskManagersInfo },
} as const satisfies Record<string, RestEndpoint>;

export type RestEndpointName = keyof typeof REST_ENDPOINTS;
