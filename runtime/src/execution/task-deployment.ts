// Turns a JobGraph into parallel subtasks wired with in-memory channels (the local deployment). Each
// subtask gets fresh operator instances from the node factories, a keyed state backend when its head is
// keyed (owning the subtask's key-group range), and record writers for its outgoing edges.
import type { RecordErrorPolicy } from '../api/dead-letter.ts';
import type { JobGraph, JobVertex } from '../graph/job-graph.ts';
import type { StreamEdge, StreamNode } from '../graph/stream-graph.ts';
import type { OperatorContext } from '../operators/operator-context.ts';
import { OperatorMetrics } from '../operators/operator-metrics.ts';
import type { StreamOperator } from '../operators/stream-operator.ts';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.ts';
import { computeKeyGroupRangeForOperatorIndex } from '../state/key-group-range.ts';
import type { ProcessingTimeService } from '../time/processing-time-service.ts';
import { LocalChannel } from './local-channel.ts';
import { ChainedOperatorTarget, NodeOutput, type OutputTarget, RecordWriterTarget } from './node-output.ts';
import { RecordWriter } from './record-writer.ts';
import { type ChainMember, StreamTask } from './stream-task.ts';

export type DeploymentOptions = {
  readonly clock: ProcessingTimeService;
  readonly autoWatermarkInterval: number;
  readonly batchSize: number;
  readonly channelCapacity: number;
};

export function deployTasks(job: JobGraph, options: DeploymentOptions): StreamTask[] {
  const nodes = job.streamGraph.nodes;
  // Channels first: every consumer subtask lists its input channels; producers get writers over them.
  const inputsOf = new Map<string, LocalChannel[]>(); // `${vertex}/${subtask}`
  const channelsOfEdge = new Map<StreamEdge, LocalChannel[][]>(); // [producerSubtask][k]
  for (const v of job.vertices) for (let s = 0; s < v.parallelism; s++) inputsOf.set(`${v.id}/${s}`, []);
  for (const v of job.vertices) {
    for (const edge of v.outputs) {
      const target = job.vertices[job.vertexOfNode.get(edge.target)!]!;
      const perProducer: LocalChannel[][] = [];
      for (let i = 0; i < v.parallelism; i++) {
        const consumers = edge.partitioner.kind === 'forward' ? [i] : range(target.parallelism);
        perProducer.push(
          consumers.map((j) => {
            const inputs = inputsOf.get(`${target.id}/${j}`)!;
            const ch = new LocalChannel(options.channelCapacity, inputs.length);
            inputs.push(ch);
            return ch;
          }),
        );
      }
      channelsOfEdge.set(edge, perProducer);
    }
  }

  const tasks: StreamTask[] = [];
  for (const v of job.vertices) {
    for (let s = 0; s < v.parallelism; s++) {
      const backend =
        v.head.stateKeySelector === undefined
          ? undefined
          : new HeapKeyedStateBackend({
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
          channels: channelsOfEdge.get(edge)![s]!,
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
  backend: HeapKeyedStateBackend | undefined,
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
