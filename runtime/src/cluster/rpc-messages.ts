// The internal protocol between JobManager and TaskManagers (JSON over HTTP), validated on receipt so a
// malformed message is rejected with a clear error instead of corrupting cluster state.
import { z } from 'zod';
import { JobSubmission } from './job-submission.ts';

export const Endpoint = z.object({ host: z.string(), port: z.number().int().min(1).max(65535) });
export type Endpoint = z.output<typeof Endpoint>;

export const RegisterTaskManager = z.object({
  taskManagerId: z.string().min(1),
  controlUrl: z.string().url(),
  slots: z.array(z.object({ index: z.number().int().min(0), data: Endpoint })).min(1),
  hardware: z.object({ cpuCores: z.number(), physicalMemory: z.number(), freeMemory: z.number() }),
});
export type RegisterTaskManager = z.output<typeof RegisterTaskManager>;

export const Heartbeat = z.object({ taskManagerId: z.string().min(1) });

export const TaskStates = z.enum(['created', 'deploying', 'running', 'finished', 'failed', 'canceled']);

export const TaskStateUpdate = z.object({
  jobId: z.string(),
  attempt: z.number().int().min(0),
  taskManagerId: z.string(),
  vertexId: z.number().int().min(0),
  subtask: z.number().int().min(0),
  state: TaskStates,
  error: z.object({ name: z.string(), message: z.string(), stack: z.string().optional() }).optional(),
});
export type TaskStateUpdate = z.output<typeof TaskStateUpdate>;

export const DeployShare = z.object({
  jobId: z.string(),
  attempt: z.number().int().min(0),
  submission: JobSubmission,
  slotIndex: z.number().int().min(0),
  shareIndex: z.number().int().min(0),
  /** Data endpoint of every share index of this attempt. */
  peers: z.array(Endpoint),
  /** A checkpoint directory to restore from (the attempt continues from it). */
  restoreFrom: z.string().optional(),
});
export type DeployShare = z.output<typeof DeployShare>;

export const DeployRequest = z.object({ shares: z.array(DeployShare) });
export type DeployRequest = z.output<typeof DeployRequest>;

export const CancelRequest = z.object({ jobId: z.string(), attempt: z.number().int().min(0) });
export type CancelRequest = z.output<typeof CancelRequest>;

export const CheckpointTrigger = z.object({
  jobId: z.string(),
  attempt: z.number().int().min(0),
  checkpointId: z.number().int().min(1),
  timestamp: z.number(),
});
export type CheckpointTrigger = z.output<typeof CheckpointTrigger>;

export const CheckpointAck = z.object({
  jobId: z.string(),
  attempt: z.number().int().min(0),
  taskManagerId: z.string(),
  vertexId: z.number().int().min(0),
  subtask: z.number().int().min(0),
  checkpointId: z.number().int().min(1),
  /** base64 of the msgpack-encoded TaskSnapshot, or absent when the task declined. */
  snapshot: z.string().optional(),
  declineReason: z.string().optional(),
});
export type CheckpointAck = z.output<typeof CheckpointAck>;
