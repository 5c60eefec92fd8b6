// GET /jobs/:jobid/exceptions: Flink's JobExceptionsInfoWithHistory (newest entry first).
import { z } from 'zod';

export const ExceptionInfo = z.object({
  exceptionName: z.string(),
  stacktrace: z.string(),
  timestamp: z.number(),
  taskName: z.string().nullable(),
});

export type ExceptionInfo = z.output<typeof ExceptionInfo>;

export const JobExceptionsInfoWithHistory = z.object({
  /** The latest failure as "<name>: <message>", or null when the job never failed. */
  'root-exception': z.string().nullable(),
  timestamp: z.number().nullable().optional(),
  exceptionHistory: z.object({ entries: z.array(ExceptionInfo), truncated: z.boolean() }),
});

export type JobExceptionsInfoWithHistory = z.output<typeof JobExceptionsInfoWithHistory>;

/** ?maxExceptions=N keeps the newest N entries of the history (Flink's query parameter). */
export const JobExceptionsQuery = z.object({
  maxExceptions: z.coerce
    .number({ error: 'maxExceptions must be a whole number ≥ 0, e.g. ?maxExceptions=10' })
    .int('maxExceptions must be a whole number ≥ 0, e.g. ?maxExceptions=10')
    .min(0, 'maxExceptions must be a whole number ≥ 0, e.g. ?maxExceptions=10')
    .optional(),
});

export type JobExceptionsQuery = z.output<typeof JobExceptionsQuery>;
