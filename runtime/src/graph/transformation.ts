// Transformations: what the DataStream API records as the user builds a pipeline (Flink's Transformation).
// Ids are assigned in creation order, so running the same job module twice (on every TaskManager) yields the
// same ids; that is how a distributed runtime finds the functions of a vertex without serializing them.
import type { RecordErrorPolicy } from '../api/dead-letter.ts';
import type { KeySelector } from '../api/functions.ts';
import type { OutputTag } from '../api/output-tag.ts';
import type { Source } from '../api/source.ts';
import type { OperatorFactory } from '../operators/stream-operator.ts';
import type { Partitioner } from './partitioner.ts';

type Common = {
  readonly id: number;
  name: string;
  uid: string | undefined;
  parallelism: number | undefined;
  maxParallelism: number | undefined;
  recordErrors: RecordErrorPolicy | undefined;
  chaining: boolean;
};

export type SourceTransformation = Common & { readonly kind: 'source'; readonly source: Source<unknown> };
export type OneInputTransformation = Common & {
  readonly kind: 'one-input';
  readonly input: Transformation;
  readonly operator: OperatorFactory<unknown, unknown>;
  /** Set when the input is a KeyedStream: the operator then has keyed state and timers. */
  readonly stateKeySelector: KeySelector<unknown, unknown> | undefined;
};
export type SinkTransformation = Common & {
  readonly kind: 'sink';
  readonly input: Transformation;
  readonly operator: OperatorFactory<unknown, unknown>;
};
export type PartitionTransformation = Common & {
  readonly kind: 'partition';
  readonly input: Transformation;
  readonly partitioner: Partitioner;
};
export type UnionTransformation = Common & {
  readonly kind: 'union';
  readonly inputs: readonly Transformation[];
};
export type SideOutputTransformation = Common & {
  readonly kind: 'side-output';
  readonly input: Transformation;
  readonly tag: OutputTag<unknown>;
};

export type Transformation =
  | SourceTransformation
  | OneInputTransformation
  | SinkTransformation
  | PartitionTransformation
  | UnionTransformation
  | SideOutputTransformation;

export type PhysicalTransformation = SourceTransformation | OneInputTransformation | SinkTransformation;

export function isPhysical(t: Transformation): t is PhysicalTransformation {
  return t.kind === 'source' || t.kind === 'one-input' || t.kind === 'sink';
}
