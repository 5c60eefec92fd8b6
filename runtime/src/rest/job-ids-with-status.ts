// GET /jobs: Flink's JobIdsWithStatusOverview.
import { z } from 'zod';
import { JobStatus } from './job-status.ts';

export const JobIdsWithStatusOverview = z.object({
  jobs: z.array(z.object({ id: z.string(), status: JobStatus })),
});

export type JobIdsWithStatusOverview = z.output<typeof JobIdsWithStatusOverview>;
