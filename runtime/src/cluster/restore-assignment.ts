// Loads a checkpoint directory and assigns its state to the operators of a job graph.
import { loadCheckpoint } from '../checkpoint/checkpoint-loader.ts';
import { checkpointStorageFor } from '../checkpoint/checkpoint-storage-for.ts';
import { assignState } from '../checkpoint/state-assignment.ts';
import type { JobGraph } from '../graph/job-graph.ts';
import type { OperatorRestore } from '../operators/operator-snapshot.ts';

export async function restoreAssignment(
  checkpointDir: string,
  graph: JobGraph,
  allowNonRestoredState = false,
): Promise<Map<string, OperatorRestore[]>> {
  const checkpoint = await loadCheckpoint(checkpointStorageFor(checkpointDir), '.');
  const operators = graph.vertices.flatMap((v) =>
    v.chain.map((n) => ({
      uid: n.uid,
      name: n.name,
      parallelism: v.parallelism,
      maxParallelism: v.maxParallelism,
      assignListState: n.source?.assignSplits?.bind(n.source),
    })),
  );
  return assignState(checkpoint, operators, allowNonRestoredState);
}
