// Wires a checkpoint coordinator to the tasks of a local execution: triggers reach the source tasks,
// snapshots come back as acknowledgements, completion is announced to every task.
import { type CheckpointConfig, CheckpointCoordinator } from '../checkpoint/checkpoint-coordinator.ts';
import type { CheckpointStorage } from '../checkpoint/checkpoint-storage.ts';
import type { ProcessingTimeService } from '../time/processing-time-service.ts';
import type { StreamTask } from './stream-task.ts';

export function attachCheckpointing(options: {
  tasks: readonly StreamTask[];
  config: CheckpointConfig;
  storage: CheckpointStorage;
  clock: ProcessingTimeService;
  jobId: string;
  firstCheckpointId: number;
  fail: (e: Error) => void;
  log: (message: string) => void;
}): CheckpointCoordinator {
  const key = (t: StreamTask) => `${t.vertex.id}/${t.subtaskIndex}`;
  const coordinator = new CheckpointCoordinator({
    config: options.config,
    clock: options.clock,
    storage: options.storage,
    jobId: options.jobId,
    expectedTasks: options.tasks.map(key),
    firstCheckpointId: options.firstCheckpointId,
    hooks: {
      // Finished tasks count as acknowledged with empty state (checkpoints after tasks finish).
      canTrigger: () =>
        options.tasks.every((t) => t.state === 'running' || t.state === 'finished') &&
        options.tasks.some((t) => t.state === 'running'),
      triggerSources(id, timestamp) {
        for (const t of options.tasks)
          if (t.isSource && t.state === 'running') t.triggerCheckpoint(id, timestamp);
      },
      async notifyComplete(id) {
        for (const t of options.tasks) await t.notifyCheckpointComplete(id);
      },
      onFailure: (reason) => options.fail(new Error(reason)),
      log: options.log,
    },
  });
  for (const t of options.tasks) {
    t.onCheckpoint = (task, id, snapshot) => {
      snapshot.then(
        (s) => coordinator.acknowledge(key(task), id, s),
        (e: Error) => coordinator.decline(id, `task ${task.name} failed its snapshot: ${e.message}`),
      );
    };
  }
  return coordinator;
}

/** Tells the coordinator about tasks that finished, so checkpoints need no acknowledgement from them. */
export function taskKey(t: StreamTask): string {
  return `${t.vertex.id}/${t.subtaskIndex}`;
}
