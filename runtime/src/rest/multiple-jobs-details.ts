// GET /jobs/overview: Flink's MultipleJobsDetails, one JobDetails summary per job.
import { z } from 'zod';
import { JobStatus, StateCounts } from './job-status.ts';

export const JobDetails = z.object({
  jid: z.string(),
  name: z.string(),
  state: JobStatus,
  'start-time': z.number(),
  /** -1 while the job has not ended. */
  'end-time': z.number(),
  duration: z.number(),
  'last-modification': z.number(),
  /** Subtask counts: total plus one entry per execution state. */
  tasks: StateCounts,
});

export type JobDetails = z.output<typeof JobDetails>;

export const MultipleJobsDetails = z.object({ jobs: z.array(JobDetails) });

export type MultipleJobsDetails = z.output<typeof MultipleJobsDetails>;
