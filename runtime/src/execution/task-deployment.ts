// Turns a JobGraph into parallel subtasks wired with in-memory channels (the local deployment). Each
// subtask gets fresh operator instances from the node factories, a keyed state backend when its head is
// keyed (owning the subtask's key-group range), and record writers for its outgoing edges.
import type { RecordErrorPolicy } from '../api/dead-letter.ts';
import type { JobGraph, JobVertex } from '../graph/job-graph.ts';
import type { StreamEdge, StreamNode } from '../graph/stream-graph.ts';
import type { OperatorContext } from '../operators/operator-context.ts';
import { OperatorMetrics } from '../operators/operator-metrics.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import { computeKeyGroupRangeForOperatorIndex } from '../state/key-group-range.ts';
import type { KeyedStateBackend } from '../state/keyed-state-backend.ts';
import { createKeyedStateBackend, type StateBackendConfig } from '../state/state-backend-config.ts';
import type { ProcessingTimeService } from '../time/processing-time-service.ts';
import type { InputChannel, OutputChannel } from './channel.ts';
import { LocalChannel } from './local-channel.ts';
import { ChainedOperatorTarget, NodeOutput, type OutputTarget, RecordWriterTarget } from './node-output.ts';
import { RecordWriter } from './record-writer.ts';
import { type ChainMember, StreamTask } from './stream-task.ts';

export type DeploymentOptions = {
  readonly clock: ProcessingTimeService;
  readonly autoWatermarkInterval: number;
  readonly batchSize: number;
  readonly channelCapacity: number;
  /** Where keyed state lives; default on the heap. */
  readonly stateBackend?: StateBackendConfig;
};

/** Which subtasks run here, and how to reach the ones that run elsewhere. */
export type Placement = {
  /** Whether subtask `subtask` of vertex `vertex` is deployed by this call. */
  isLocal(vertex: number, subtask: number): boolean;
  /** A channel from local `producerVertex` to a consumer subtask in another thread or process. */
  remoteOutput(
    channelId: string,
    consumerVertex: number,
    consumerSubtask: number,
    producerVertex: number,
  ): OutputChannel;
  /** A channel to local `consumerVertex` from a producer subtask in another thread or process. */
  remoteInput(
    channelId: string,
    producerVertex: number,
    producerSubtask: number,
    consumerVertex: number,
  ): InputChannel;
};

export const EVERYTHING_LOCAL: Placement = {
  isLocal: () => true,
  remoteOutput: () => {
    throw new Error('no remote channels in a local deployment');
  },
  remoteInput: () => {
    throw new Error('no remote channels in a local deployment');
  },
};

/** The stable id of the channel from producer subtask a to consumer subtask b of an edge. */
export function channelId(edgeOrdinal: number, a: number, b: number): string {
  return `e${edgeOrdinal}:${a}->${b}`;
}

export function deployTasks(
  job: JobGraph,
  options: DeploymentOptions,
  placement: Placement = EVERYTHING_LOCAL,
): StreamTask[] {
  const nodes = job.streamGraph.nodes;
  // Channels first, in a deterministic order (edges by vertex, producers, consumers), so every process
  // that deploys part of the job agrees on channel ids and on each consumer's input order.
  const inputsOf = new Map<string, InputChannel[]>(); // `${vertex}/${subtask}`
  const outputsOf = new Map<StreamEdge, OutputChannel[][]>(); // [producerSubtask][k]
  for (const v of job.vertices) for (let s = 0; s < v.parallelism; s++) inputsOf.set(`${v.id}/${s}`, []);
  let edgeOrdinal = 0;
  for (const v of job.vertices) {
    for (const edge of v.outputs) {
      const target = job.vertices[job.vertexOfNode.get(edge.target)!]!;
      const perProducer: OutputChannel[][] = [];
      for (let a = 0; a < v.parallelism; a++) {
        const consumers = edge.partitioner.kind === 'forward' ? [a] : range(target.parallelism);
        const outs: OutputChannel[] = [];
        for (const b of consumers) {
          const id = channelId(edgeOrdinal, a, b);
          const producerLocal = placement.isLocal(v.id, a);
          const consumerLocal = placement.isLocal(target.id, b);
          const inputs = inputsOf.get(`${target.id}/${b}`)!;
          if (producerLocal && consumerLocal) {
            const ch = new LocalChannel(options.channelCapacity, inputs.length);
            inputs.push(ch);
            outs.push(ch);
          } else if (producerLocal) {
            outs.push(placement.remoteOutput(id, target.id, b, v.id));
          } else if (consumerLocal) {
            inputs.push(placement.remoteInput(id, v.id, a, target.id));
          }
        }
        perProducer.push(outs);
      }
      outputsOf.set(edge, perProducer);
      edgeOrdinal++;
    }
  }

  const tasks: StreamTask[] = [];
  for (const v of job.vertices) {
    for (let s = 0; s < v.parallelism; s++) {
      if (!placement.isLocal(v.id, s)) continue;
      const backend =
        v.head.stateKeySelector === undefined
          ? undefined
          : createKeyedStateBackend(options.stateBackend ?? { type: 'hashmap' }, {
              maxParallelism: v.maxParallelism,
              keyGroupRange: computeKeyGroupRangeForOperatorIndex(v.maxParallelism, v.parallelism, s),
              now: () => options.clock.now(),
            });
      const operators = new Map<number, StreamOperator<unknown, unknown>>();
      const metrics = new Map<number, OperatorMetrics>();
      for (const n of v.chain) {
        metrics.set(n.id, new OperatorMetrics());
        if (n.operator !== undefined) operators.set(n.id, n.operator());
      }
      const writers: RecordWriter[] = [];
      const writerOf = new Map<StreamEdge, RecordWriter>();
      for (const edge of v.outputs) {
        const target = nodes.get(edge.target)!;
        const w = new RecordWriter({
          channels: outputsOf.get(edge)![s]!,
          partitioner: edge.partitioner,
          maxParallelism: target.maxParallelism,
          batchSize: options.batchSize,
          subtaskIndex: s,
          describe: `keyBy -> ${target.name}`,
        });
        writers.push(w);
        writerOf.set(edge, w);
      }
      const chain: ChainMember[] = v.chain.map((n) => {
        const main: OutputTarget[] = [];
        const sides = new Map<string, OutputTarget[]>();
        for (const edge of n.outEdges) {
          const chained = operators.get(edge.target);
          const inChain = v.chain.some((c) => c.id === edge.target);
          const target: OutputTarget = inChain
            ? new ChainedOperatorTarget(chained!, metrics.get(edge.target)!)
            : new RecordWriterTarget(writerOf.get(edge)!);
          if (edge.sideOutputTag === undefined) main.push(target);
          else {
            const list = sides.get(edge.sideOutputTag.id) ?? [];
            list.push(target);
            sides.set(edge.sideOutputTag.id, list);
          }
        }
        return {
          node: n,
          operator: operators.get(n.id),
          output: new NodeOutput(main, sides, metrics.get(n.id)!),
          metrics: metrics.get(n.id)!,
        };
      });
      for (const member of chain) {
        if (member.operator === undefined) continue;
        member.operator.setup(
          operatorContext(
            member.node,
            v,
            s,
            options,
            member === chain[0] ? backend : undefined,
            member.metrics,
          ),
          member.output,
        );
      }
      tasks.push(
        new StreamTask({
          vertex: v,
          subtaskIndex: s,
          chain,
          inputs: inputsOf.get(`${v.id}/${s}`)!,
          writers,
          backend,
        }),
      );
    }
  }
  return tasks;
}

function operatorContext(
  node: StreamNode,
  vertex: JobVertex,
  subtaskIndex: number,
  options: DeploymentOptions,
  backend: KeyedStateBackend | undefined,
  metrics: OperatorMetrics,
): OperatorContext {
  const recordErrors: RecordErrorPolicy = node.recordErrors;
  return {
    name: node.name,
    uid: node.uid,
    subtaskIndex,
    parallelism: vertex.parallelism,
    maxParallelism: vertex.maxParallelism,
    clock: options.clock,
    keyedBackend: backend,
    metrics,
    recordErrors,
    autoWatermarkInterval: options.autoWatermarkInterval,
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
