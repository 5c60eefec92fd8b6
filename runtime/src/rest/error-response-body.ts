// Flink's ErrorResponseBody: every 4xx and 5xx answer of the REST API carries one or more messages.
import { z } from 'zod';

export const ErrorResponseBody = z.object({ errors: z.array(z.string()) });

export type ErrorResponseBody = z.output<typeof ErrorResponseBody>;
