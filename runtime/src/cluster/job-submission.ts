// What the cluster needs to run a job: the job module (a path every process can import: on Kubernetes it is
// part of the image) with its arguments and configuration. Functions are never shipped; every process
// builds the same job graph from the module.
import { z } from 'zod';

export const JobSubmission = z.object({
  jobModule: z
    .string()
    .min(1, 'jobModule: give the path of the job module, e.g. examples/fraud-detection/job.ts'),
  args: z.array(z.string()).default([]),
  jobName: z.string().min(1).optional(),
  parallelism: z.number().int().min(1).optional(),
  maxParallelism: z.number().int().min(1).max(32768).optional(),
  autoWatermarkInterval: z.number().min(0).optional(),
  /** Start from this savepoint (or retained checkpoint) directory instead of empty state. */
  savepointPath: z.string().min(1).optional(),
  /** Drop state of operators the job no longer has instead of refusing the restore. */
  allowNonRestoredState: z.boolean().optional(),
  /** Checkpointing set by the deployer (the Kubernetes operator), overriding the job's enableCheckpointing. */
  checkpointing: z.object({ intervalMs: z.number().int().min(10), storage: z.string().min(1) }).optional(),
});

export type JobSubmission = z.output<typeof JobSubmission>;
