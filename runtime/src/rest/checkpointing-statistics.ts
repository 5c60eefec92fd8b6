// GET /jobs/:jobid/checkpoints: Flink's CheckpointingStatistics (snake_case keys, as Flink has them).
import { z } from 'zod';

const optionalNumber = z.number().optional();

/** One checkpoint in `latest.completed`, `latest.savepoint` or `history`. */
export const CheckpointStatistics = z.object({
  id: z.number().int(),
  status: z.enum(['IN_PROGRESS', 'COMPLETED', 'FAILED']),
  is_savepoint: z.boolean(),
  checkpoint_type: z.enum(['CHECKPOINT', 'UNALIGNED_CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT']).optional(),
  trigger_timestamp: z.number(),
  latest_ack_timestamp: optionalNumber,
  state_size: optionalNumber,
  checkpointed_size: optionalNumber,
  end_to_end_duration: optionalNumber,
  num_subtasks: optionalNumber,
  num_acknowledged_subtasks: optionalNumber,
  external_path: z.string().nullable().optional(),
  discarded: z.boolean().optional(),
  failure_timestamp: optionalNumber,
  failure_message: z.string().nullable().optional(),
});

export type CheckpointStatistics = z.output<typeof CheckpointStatistics>;

export const FailedCheckpointStatistics = z.object({
  id: z.number().int(),
  failure_timestamp: z.number(),
  failure_message: z.string().nullable(),
});

export const RestoredCheckpointStatistics = z.object({
  id: z.number().int(),
  restore_timestamp: z.number(),
  is_savepoint: z.boolean(),
  external_path: z.string().nullable(),
});

const MinMaxAvg = z.object({ min: z.number(), max: z.number(), avg: z.number() }).partial();

export const CheckpointingStatistics = z.object({
  counts: z.object({
    restored: z.number().int().min(0),
    total: z.number().int().min(0),
    in_progress: z.number().int().min(0),
    completed: z.number().int().min(0),
    failed: z.number().int().min(0),
  }),
  summary: z.record(z.string(), MinMaxAvg).optional(),
  latest: z.object({
    completed: CheckpointStatistics.nullable(),
    savepoint: CheckpointStatistics.nullable(),
    failed: FailedCheckpointStatistics.nullable(),
    restored: RestoredCheckpointStatistics.nullable(),
  }),
  history: z.array(CheckpointStatistics),
});

export type CheckpointingStatistics = z.output<typeof CheckpointingStatistics>;

/** What a JobManager without checkpoint statistics reports. */
export const NO_CHECKPOINTS: CheckpointingStatistics = {
  counts: { restored: 0, total: 0, in_progress: 0, completed: 0, failed: 0 },
  latest: { completed: null, savepoint: null, failed: null, restored: null },
  history: [],
};
