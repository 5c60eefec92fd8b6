// Builds a job graph from a submission by importing the job module and running its pipeline function on a
// fresh environment. Deterministic: the same submission gives the same vertex ids in every process.
import { resolve } from 'node:path';
import { StreamExecutionEnvironment } from '../api/execution-environment.ts';
import { loadJobModule } from '../cli/job-module.ts';
import type { JobGraph } from '../graph/job-graph.ts';
import type { ProcessingTimeService } from '../time/processing-time-service.ts';
import type { JobSubmission } from './job-submission.ts';

export type LoadedJob = { readonly env: StreamExecutionEnvironment; readonly graph: JobGraph };

export async function loadJob(submission: JobSubmission, clock?: ProcessingTimeService): Promise<LoadedJob> {
  const build = await loadJobModule(resolve(submission.jobModule));
  const env = StreamExecutionEnvironment.getExecutionEnvironment({
    ...(submission.parallelism === undefined ? {} : { parallelism: submission.parallelism }),
    ...(submission.maxParallelism === undefined ? {} : { maxParallelism: submission.maxParallelism }),
    ...(submission.autoWatermarkInterval === undefined
      ? {}
      : { autoWatermarkInterval: submission.autoWatermarkInterval }),
    ...(clock === undefined ? {} : { clock }),
  });
  await build(env, submission.args);
  const cp = submission.checkpointing;
  if (cp !== undefined)
    env.enableCheckpointing(cp.intervalMs, { ...env.config.checkpointing, storage: cp.storage });
  return { env, graph: env.getJobGraph(submission.jobName ?? submission.jobModule) };
}

/** Slots a job needs under slot sharing: its highest vertex parallelism. */
export function requiredSlots(graph: JobGraph): number {
  return Math.max(...graph.vertices.map((v) => v.parallelism));
}
