// The JobGraph: stream nodes chained into vertices (Flink's StreamingJobGraphGenerator). A node joins its
// predecessor's chain when the edge is forward, parallelism is equal, it has exactly one input edge and
// chaining is enabled on both. A chain is a tree: one head and its chained successors.
import type { StreamEdge, StreamGraph, StreamNode } from './stream-graph.ts';

export type JobVertex = {
  readonly id: number;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly head: StreamNode;
  /** Chained nodes in topological order, head first. */
  readonly chain: StreamNode[];
  /** Edges entering the vertex (their target is the head). */
  readonly inputs: StreamEdge[];
  /** Edges leaving the chain to other vertices. */
  readonly outputs: StreamEdge[];
};

export type JobGraph = {
  readonly jobName: string;
  readonly vertices: JobVertex[];
  readonly vertexOfNode: Map<number, number>;
  readonly streamGraph: StreamGraph;
};

export function isChainable(graph: StreamGraph, edge: StreamEdge): boolean {
  const source = graph.nodes.get(edge.source)!;
  const target = graph.nodes.get(edge.target)!;
  return (
    edge.partitioner.kind === 'forward' &&
    source.parallelism === target.parallelism &&
    target.inEdges.length === 1 &&
    source.chaining &&
    target.chaining &&
    target.kind !== 'source'
  );
}

export function buildJobGraph(graph: StreamGraph): JobGraph {
  const vertexOfNode = new Map<number, number>();
  const vertices: JobVertex[] = [];
  const ordered = [...graph.nodes.values()].sort((a, b) => a.id - b.id);
  for (const node of ordered) {
    if (vertexOfNode.has(node.id)) continue;
    const headIn = node.inEdges.length === 1 && isChainable(graph, node.inEdges[0]!);
    if (headIn) continue; // reached from its chain head
    const chain: StreamNode[] = [];
    const outputs: StreamEdge[] = [];
    const vertexId = vertices.length;
    const visit = (n: StreamNode) => {
      chain.push(n);
      vertexOfNode.set(n.id, vertexId);
      for (const e of n.outEdges) {
        if (isChainable(graph, e)) visit(graph.nodes.get(e.target)!);
        else outputs.push(e);
      }
    };
    visit(node);
    vertices.push({
      id: vertexId,
      name: chain.map((n) => n.name).join(' -> '),
      parallelism: node.parallelism,
      maxParallelism: node.maxParallelism,
      head: node,
      chain,
      inputs: node.inEdges.slice(),
      outputs,
    });
  }
  return { jobName: graph.jobName, vertices, vertexOfNode, streamGraph: graph };
}

/** Vertices ordered so that every vertex comes after the vertices feeding it. */
export function topologicalVertices(job: JobGraph): JobVertex[] {
  const indegree = new Map<number, number>();
  for (const v of job.vertices) indegree.set(v.id, 0);
  for (const v of job.vertices) {
    for (const e of v.outputs) {
      const t = job.vertexOfNode.get(e.target)!;
      indegree.set(t, indegree.get(t)! + 1);
    }
  }
  const ready = job.vertices.filter((v) => indegree.get(v.id) === 0);
  const out: JobVertex[] = [];
  while (ready.length > 0) {
    const v = ready.shift()!;
    out.push(v);
    for (const e of v.outputs) {
      const t = job.vertexOfNode.get(e.target)!;
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) ready.push(job.vertices[t]!);
    }
  }
  return out;
}
