// GET /overview: Flink's ClusterOverviewWithVersion, with riffle-version in place of flink-version.
import { z } from 'zod';

const count = z.number().int().min(0);

export const ClusterOverviewWithVersion = z.object({
  taskmanagers: count,
  'slots-total': count,
  'slots-available': count,
  'jobs-running': count,
  'jobs-finished': count,
  'jobs-cancelled': count,
  'jobs-failed': count,
  'riffle-version': z.string(),
  'riffle-commit': z.string().optional(),
});

export type ClusterOverviewWithVersion = z.output<typeof ClusterOverviewWithVersion>;
