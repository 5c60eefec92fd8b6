// POST /jobs: Riffle's job submission. Flink uploads a jar (POST /jars/upload, then /jars/:jarid/run);
// Riffle names a job module every process of the cluster can import (on Kubernetes it is part of the image),
// with the run parameters of Flink's JarRunRequestBody.
import { z } from 'zod';

const wholeNumber = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a whole number from ${min} to ${max}` })
    .int(`${field} must be a whole number from ${min} to ${max}`)
    .min(min, `${field} must be a whole number from ${min} to ${max}`)
    .max(max, `${field} must be a whole number from ${min} to ${max}`);

export const JobSubmitRequest = z.strictObject({
  jobModule: z
    .string({
      error: 'jobModule must be a string: the path of the job module, e.g. examples/wordcount/job.ts',
    })
    .min(1, 'jobModule must not be empty: give the path of the job module, e.g. examples/wordcount/job.ts'),
  args: z
    .array(z.string({ error: 'args must be a list of strings, e.g. ["--input", "s3://bucket/in"]' }), {
      error: 'args must be a list of strings, e.g. ["--input", "s3://bucket/in"]',
    })
    .default([]),
  parallelism: wholeNumber('parallelism', 1, 32768).optional(),
  maxParallelism: wholeNumber('maxParallelism', 1, 32768).optional(),
  jobName: z.string({ error: 'jobName must be a string' }).min(1, 'jobName must not be empty').optional(),
  savepointPath: z
    .string({ error: 'savepointPath must be a string: the savepoint or checkpoint directory to restore' })
    .min(1, 'savepointPath must not be empty; leave it out to start without state')
    .optional(),
  allowNonRestoredState: z.boolean({ error: 'allowNonRestoredState must be true or false' }).default(false),
  autoWatermarkInterval: z
    .number({ error: 'autoWatermarkInterval must be a number of milliseconds ≥ 0' })
    .min(0, 'autoWatermarkInterval must be a number of milliseconds ≥ 0')
    .optional(),
});

/** The request as the client writes it (defaults may be left out). */
export type JobSubmitRequestInput = z.input<typeof JobSubmitRequest>;
/** The request as the server sees it (defaults filled in). */
export type JobSubmitRequest = z.output<typeof JobSubmitRequest>;

export const JobSubmitResponse = z.object({ jobid: z.string() });

export type JobSubmitResponse = z.output<typeof JobSubmitResponse>;
