// Identifiers in REST paths and bodies, in Flink's formats: a JobID and a TriggerId are 32 hexadecimal
// characters (a random UUID without dashes).
import { z } from 'zod';

const HEX_32 = /^[0-9a-fA-F]{32}$/;

export const JobId = z
  .string()
  .regex(HEX_32, 'a job id is 32 hexadecimal characters, as listed by GET /jobs')
  .transform((s) => s.toLowerCase());

export type JobId = z.output<typeof JobId>;

export const TriggerId = z
  .string()
  .regex(HEX_32, 'a trigger id is 32 hexadecimal characters, e.g. a random UUID without its dashes')
  .transform((s) => s.toLowerCase());

export type TriggerId = z.output<typeof TriggerId>;
