// Flink's JobStatus (the state of a job) and ExecutionState (the state of one subtask attempt), as strings.
import { z } from 'zod';

export const JobStatus = z.enum([
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
]);

export type JobStatus = z.output<typeof JobStatus>;

export const ExecutionState = z.enum([
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
  'INITIALIZING',
]);

export type ExecutionState = z.output<typeof ExecutionState>;

/** Counts keyed by state name (Flink's `tasks` and `status-counts` maps). */
export const StateCounts = z.record(z.string(), z.number().int().min(0));

export type StateCounts = z.output<typeof StateCounts>;
