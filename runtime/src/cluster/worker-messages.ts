// Messages between a TaskManager's main thread and its slot workers.
import type { OperatorMetrics } from '../operators/operator-metrics.ts';
import type { CheckpointAck, DeployShare, Endpoint, TaskStateUpdate } from './rpc-messages.ts';

export type WorkerData = {
  readonly slotIndex: number;
  readonly host: string;
  readonly taskManagerId: string;
};

export type ToWorker =
  | { readonly type: 'deploy'; readonly share: DeployShare }
  | { readonly type: 'cancel'; readonly jobId: string; readonly attempt: number }
  | {
      readonly type: 'checkpoint';
      readonly jobId: string;
      readonly attempt: number;
      readonly checkpointId: number;
      readonly timestamp: number;
    }
  | {
      readonly type: 'checkpoint-complete';
      readonly jobId: string;
      readonly attempt: number;
      readonly checkpointId: number;
    }
  | { readonly type: 'stop' };

export type SubtaskMetrics = {
  readonly jobId: string;
  readonly vertexId: number;
  readonly task: string;
  readonly subtask: number;
  readonly operators: { readonly name: string; readonly metrics: OperatorMetrics }[];
  /** Over the task's channels to and from other workers (in-memory channels carry no bytes). */
  readonly network: { readonly bytesIn: number; readonly bytesOut: number; readonly backpressuredMs: number };
};

export type FromWorker =
  | { readonly type: 'ready'; readonly slotIndex: number; readonly data: Endpoint }
  | { readonly type: 'task-state'; readonly update: Omit<TaskStateUpdate, 'taskManagerId'> }
  | { readonly type: 'metrics'; readonly subtasks: SubtaskMetrics[] }
  | {
      readonly type: 'log';
      readonly level: 'debug' | 'info' | 'warn';
      readonly message: string;
      readonly fields: Record<string, unknown>;
    }
  | {
      readonly type: 'checkpoint-ack';
      readonly ack: Omit<CheckpointAck, 'taskManagerId'>;
    };
