// PATCH /jobs/:jobid?mode=cancel: Flink's job cancellation (202 with an empty body).
import { z } from 'zod';

export const JobCancellationQuery = z.object({
  mode: z
    .enum(['cancel'], {
      error: 'mode must be "cancel" (to stop with a savepoint use POST /jobs/:jobid/stop)',
    })
    .default('cancel'),
});

export type JobCancellationQuery = z.output<typeof JobCancellationQuery>;

export const EmptyResponse = z.object({});

export type EmptyResponse = z.output<typeof EmptyResponse>;
