// POST /jobs/:jobid/savepoints and POST /jobs/:jobid/stop request bodies, with Flink's (inconsistent) key
// styles: kebab-case for savepoints, camelCase for stop. A client-chosen triggerId makes retries idempotent.
import { z } from 'zod';
import { TriggerId } from './ids.ts';

export const SavepointFormatType = z.enum(['CANONICAL', 'NATIVE'], {
  error: 'formatType must be "CANONICAL" or "NATIVE"',
});

export type SavepointFormatType = z.output<typeof SavepointFormatType>;

const directory = (field: string) =>
  z
    .string({
      error: `${field} must be a string: the directory to write the savepoint to, e.g. s3://bucket/sp`,
    })
    .min(1, `${field} must not be empty; leave it out to use the configured default directory`);

export const SavepointTriggerRequestBody = z.strictObject({
  'target-directory': directory('target-directory').optional(),
  'cancel-job': z.boolean({ error: 'cancel-job must be true or false' }).default(false),
  formatType: SavepointFormatType.default('CANONICAL'),
  triggerId: TriggerId.optional(),
});

export type SavepointTriggerRequestBodyInput = z.input<typeof SavepointTriggerRequestBody>;
export type SavepointTriggerRequestBody = z.output<typeof SavepointTriggerRequestBody>;

export const StopWithSavepointRequestBody = z.strictObject({
  targetDirectory: directory('targetDirectory').optional(),
  drain: z.boolean({ error: 'drain must be true or false' }).default(false),
  formatType: SavepointFormatType.default('CANONICAL'),
  triggerId: TriggerId.optional(),
});

export type StopWithSavepointRequestBodyInput = z.input<typeof StopWithSavepointRequestBody>;
export type StopWithSavepointRequestBody = z.output<typeof StopWithSavepointRequestBody>;

/** Flink's TriggerResponse: poll GET /jobs/:jobid/savepoints/:request-id. */
export const TriggerResponse = z.object({ 'request-id': z.string() });

export type TriggerResponse = z.output<typeof TriggerResponse>;

/** Flink's AsynchronousOperationResult<SavepointInfo>. */
export const SavepointStatus = z.object({
  status: z.object({ id: z.enum(['IN_PROGRESS', 'COMPLETED']) }),
  operation: z
    .union([
      z.object({ location: z.string() }),
      z.object({ 'failure-cause': z.object({ class: z.string(), 'stack-trace': z.string() }) }),
    ])
    .optional(),
});

export type SavepointStatus = z.output<typeof SavepointStatus>;
