// The StreamGraph: physical operators as nodes, and edges that carry a partitioner and, for side outputs,
// the output tag. Virtual transformations (partitioning, union, side output) become edge properties here.
// Invalid graphs fail now, with a message that says how to fix them.
import { DEAD_LETTER, type RecordErrorPolicy } from '../api/dead-letter.ts';
import type { KeySelector } from '../api/functions.ts';
import type { OutputTag } from '../api/output-tag.ts';
import type { Source } from '../api/source.ts';
import type { OperatorFactory } from '../operators/stream-operator.ts';
import { checkParallelism } from '../state/key-group-range.ts';
import type { Partitioner } from './partitioner.ts';
import { isPhysical, type Transformation } from './transformation.ts';

export type StreamNode = {
  readonly id: number;
  readonly name: string;
  readonly uid: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly kind: 'source' | 'operator' | 'sink';
  readonly source: Source<unknown> | undefined;
  readonly operator: OperatorFactory<unknown, unknown> | undefined;
  readonly stateKeySelector: KeySelector<unknown, unknown> | undefined;
  readonly recordErrors: RecordErrorPolicy;
  readonly chaining: boolean;
  readonly inEdges: StreamEdge[];
  readonly outEdges: StreamEdge[];
};

export type StreamEdge = {
  readonly source: number;
  readonly target: number;
  readonly partitioner: Partitioner;
  readonly sideOutputTag: OutputTag<unknown> | undefined;
};

export type StreamGraph = {
  readonly jobName: string;
  readonly nodes: Map<number, StreamNode>;
  readonly maxParallelism: number;
};

export type GraphDefaults = {
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly chaining: boolean;
};

export class InvalidJobGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidJobGraphError';
  }
}

type Resolved = { node: number; partitioner: Partitioner | undefined; tag: OutputTag<unknown> | undefined };

export function buildStreamGraph(
  jobName: string,
  transformations: readonly Transformation[],
  defaults: GraphDefaults,
): StreamGraph {
  const nodes = new Map<number, StreamNode>();
  const uids = new Map<string, string>();
  const physical = transformations.filter(isPhysical).sort((a, b) => a.id - b.id);
  if (!physical.some((t) => t.kind === 'sink')) {
    throw new InvalidJobGraphError(
      `job "${jobName}" has no sink, so it would compute nothing visible: add one with stream.sinkTo(...) or stream.print()`,
    );
  }
  for (const t of physical) {
    const parallelism = t.parallelism ?? defaults.parallelism;
    const maxParallelism = t.maxParallelism ?? defaults.maxParallelism;
    try {
      checkParallelism(maxParallelism, parallelism);
    } catch (e) {
      throw new InvalidJobGraphError(`operator "${t.name}": ${(e as Error).message}`);
    }
    const uid = t.uid ?? `${t.kind}-${t.id}`;
    const clash = uids.get(uid);
    if (clash !== undefined) {
      throw new InvalidJobGraphError(
        `operators "${clash}" and "${t.name}" both have uid "${uid}"; uids must be unique in a job`,
      );
    }
    uids.set(uid, t.name);
    nodes.set(t.id, {
      id: t.id,
      name: t.name,
      uid,
      parallelism,
      maxParallelism,
      kind: t.kind === 'one-input' ? 'operator' : t.kind,
      source: t.kind === 'source' ? t.source : undefined,
      operator: t.kind === 'source' ? undefined : t.operator,
      stateKeySelector: t.kind === 'one-input' ? t.stateKeySelector : undefined,
      recordErrors: t.recordErrors ?? 'fail',
      chaining: t.chaining && defaults.chaining,
      inEdges: [],
      outEdges: [],
    });
  }
  for (const t of physical) {
    if (t.kind === 'source') continue;
    const target = nodes.get(t.id)!;
    for (const r of resolve(t.input)) addEdge(nodes, r, target);
  }
  for (const node of nodes.values()) {
    if (
      node.recordErrors === 'dead-letter' &&
      !node.outEdges.some((e) => e.sideOutputTag?.id === DEAD_LETTER.id)
    ) {
      throw new InvalidJobGraphError(
        `operator "${node.name}" sends failed records to its dead-letter output, but nothing reads it: ` +
          'add .getSideOutput(DEAD_LETTER).sinkTo(...) on that operator so no record is lost',
      );
    }
  }
  return { jobName, nodes, maxParallelism: defaults.maxParallelism };
}

function resolve(t: Transformation): Resolved[] {
  if (isPhysical(t)) return [{ node: t.id, partitioner: undefined, tag: undefined }];
  switch (t.kind) {
    case 'partition':
      return resolve(t.input).map((r) => ({ ...r, partitioner: t.partitioner }));
    case 'union':
      return t.inputs.flatMap(resolve);
    case 'side-output':
      return resolve(t.input).map((r) => ({ ...r, tag: t.tag }));
  }
}

function addEdge(nodes: Map<number, StreamNode>, from: Resolved, target: StreamNode): void {
  const source = nodes.get(from.node)!;
  let partitioner = from.partitioner;
  if (partitioner === undefined) {
    partitioner = source.parallelism === target.parallelism ? { kind: 'forward' } : { kind: 'rebalance' };
  }
  if (partitioner.kind === 'forward' && source.parallelism !== target.parallelism) {
    throw new InvalidJobGraphError(
      `forward partitioning from "${source.name}" (parallelism ${source.parallelism}) to "${target.name}" ` +
        `(parallelism ${target.parallelism}) needs equal parallelism; use rebalance() or set equal parallelism`,
    );
  }
  if (target.stateKeySelector !== undefined && partitioner.kind !== 'hash') {
    throw new InvalidJobGraphError(`keyed operator "${target.name}" must be fed by keyBy(...)`);
  }
  const edge: StreamEdge = { source: source.id, target: target.id, partitioner, sideOutputTag: from.tag };
  source.outEdges.push(edge);
  target.inEdges.push(edge);
}
