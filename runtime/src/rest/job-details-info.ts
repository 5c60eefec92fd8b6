// GET /jobs/:jobid: Flink's JobDetailsInfo, the job with its vertices (the chained tasks of the job graph).
import { z } from 'zod';
import { ExecutionState, JobStatus, StateCounts } from './job-status.ts';

export const IOMetricsInfo = z.object({
  'read-bytes': z.number().min(0),
  'write-bytes': z.number().min(0),
  'read-records': z.number().min(0),
  'write-records': z.number().min(0),
  'accumulated-backpressured-time': z.number().min(0),
});

export type IOMetricsInfo = z.output<typeof IOMetricsInfo>;

export const JobVertexDetailsInfo = z.object({
  id: z.string(),
  name: z.string(),
  parallelism: z.number().int().min(1),
  maxParallelism: z.number().int().min(1),
  status: ExecutionState,
  'start-time': z.number(),
  'end-time': z.number(),
  duration: z.number(),
  /** Subtask counts per execution state. */
  tasks: StateCounts,
  metrics: IOMetricsInfo,
});

export type JobVertexDetailsInfo = z.output<typeof JobVertexDetailsInfo>;

/** Flink's JobPlanInfo: the vertices and the edges between them. */
export const JobPlanInfo = z.object({
  jid: z.string(),
  name: z.string(),
  nodes: z.array(
    z.object({
      id: z.string(),
      parallelism: z.number().int().min(1),
      operator: z.string().optional(),
      description: z.string(),
      inputs: z
        .array(z.object({ num: z.number().int(), id: z.string(), ship_strategy: z.string() }))
        .optional(),
    }),
  ),
});

export type JobPlanInfo = z.output<typeof JobPlanInfo>;

export const JobDetailsInfo = z.object({
  jid: z.string(),
  name: z.string(),
  isStoppable: z.boolean().optional(),
  state: JobStatus,
  'start-time': z.number(),
  'end-time': z.number(),
  duration: z.number(),
  maxParallelism: z.number().int().min(1),
  now: z.number(),
  /** When the job entered each state it has been in, e.g. {"CREATED": 1700000000000}. */
  timestamps: z.record(z.string(), z.number()),
  'status-counts': StateCounts,
  /** Riffle's addition: why a created job is not running yet, e.g. "waiting for 2 more slots". */
  'waiting-reason': z.string().nullable().optional(),
  vertices: z.array(JobVertexDetailsInfo),
  plan: JobPlanInfo.optional(),
});

export type JobDetailsInfo = z.output<typeof JobDetailsInfo>;
