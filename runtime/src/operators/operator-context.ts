// What the task hands an operator: identity, parallelism, the clock, keyed state (for keyed operators)
// and metrics. Operators never reach into the task beyond this.
import type { RecordErrorPolicy } from '../api/dead-letter.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import type { ProcessingTimeService } from '../time/processing-time-service.ts';
import type { OperatorMetrics } from './operator-metrics.ts';

export type OperatorContext = {
  /** Display name, e.g. "Window(TumblingEventTimeWindows(60000))". */
  readonly name: string;
  /** Stable identifier used to match state on restore. */
  readonly uid: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly clock: ProcessingTimeService;
  /** Present for operators on a keyed stream. */
  readonly keyedBackend: KeyedStateBackend | undefined;
  readonly metrics: OperatorMetrics;
  readonly recordErrors: RecordErrorPolicy;
  readonly autoWatermarkInterval: number;
};
