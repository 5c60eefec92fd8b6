// A task that finishes while its snapshot for the pending checkpoint is on the way acknowledges twice (empty
// state on finishing, then the snapshot). The checkpoint must be written once: twice in parallel, the two
// writes of the same files raced (rename of one process-wide temporary name) and failed the checkpoint.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CheckpointCoordinator,
  DEFAULT_CHECKPOINT_CONFIG,
} from '../../runtime/src/checkpoint/checkpoint-coordinator.ts';
import type { CheckpointStorage } from '../../runtime/src/checkpoint/checkpoint-storage.ts';
import { ManualProcessingTimeService } from '../../runtime/src/time/processing-time-service.ts';

test('a second acknowledgement of a completing checkpoint does not write it again', async () => {
  const writes: string[] = [];
  const storage = {
    uri: 'memory://',
    async write(path: string) {
      writes.push(path);
      await new Promise((r) => setTimeout(r, 5));
    },
    read: async () => new Uint8Array(),
    exists: async () => false,
    list: async () => [],
    remove: async () => {},
  } as unknown as CheckpointStorage;
  const completed: number[] = [];
  const coordinator = new CheckpointCoordinator({
    config: { ...DEFAULT_CHECKPOINT_CONFIG, intervalMs: 1000 },
    clock: new ManualProcessingTimeService(0),
    storage,
    jobId: 'job',
    expectedTasks: ['0/0'],
    hooks: {
      canTrigger: () => true,
      triggerSources() {},
      notifyComplete: async (id) => {
        completed.push(id);
      },
      onFailure: (reason) => assert.unreachable(reason),
      log() {},
    },
  });
  const id = coordinator.triggerCheckpoint()!;
  coordinator.taskFinished('0/0');
  coordinator.acknowledge('0/0', id, { vertexId: 0, subtask: 0, operators: [] });
  while (completed.length === 0) await new Promise((r) => setTimeout(r, 5));
  assert.equal(completed, [id]);
  assert.is(writes.filter((w) => w.endsWith('_metadata')).length, 1);
});

test.run();
