// GET /config: Flink's DashboardConfiguration, with riffle-version in place of flink-version.
import { z } from 'zod';

export const DashboardConfiguration = z.object({
  'refresh-interval': z.number().int().min(0),
  'timezone-name': z.string(),
  'timezone-offset': z.number().int(),
  'riffle-version': z.string(),
  'riffle-revision': z.string().optional(),
  features: z.object({
    'web-submit': z.boolean(),
    'web-cancel': z.boolean(),
    'web-rescale': z.boolean(),
    'web-history': z.boolean(),
  }),
});

export type DashboardConfiguration = z.output<typeof DashboardConfiguration>;
