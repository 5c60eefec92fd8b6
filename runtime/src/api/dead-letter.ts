// Records that failed in a user function or parser, with the error attached. Where an operator is set to
// send failures to its dead-letter output (`onRecordError('dead-letter')`), they come out of
// `getSideOutput(DEAD_LETTER)`; otherwise the job fails with the same message.
import { OutputTag } from './output-tag.ts';

export type DeadLetter = {
  /** The operator (its name and uid) that failed on the record. */
  readonly operator: string;
  /** The record as it reached the operator (or the raw line/bytes for a parser). */
  readonly record: unknown;
  readonly timestamp: number;
  readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
};

export const DEAD_LETTER = new OutputTag<DeadLetter>('riffle-dead-letter');

export type RecordErrorPolicy = 'fail' | 'dead-letter';
