// Messages between a TaskManager's main thread and its slot workers.
import type { OperatorMetrics } from '../operators/operator-metrics.ts';
import type { DeployShare, Endpoint, TaskStateUpdate } from './rpc-messages.ts';

export type WorkerData = {
  readonly slotIndex: number;
  readonly host: string;
  readonly taskManagerId: string;
};

export type ToWorker =
  | { readonly type: 'deploy'; readonly share: DeployShare }
  | { readonly type: 'cancel'; readonly jobId: string; readonly attempt: number }
  | { readonly type: 'stop' };

export type SubtaskMetrics = {
  readonly jobId: string;
  readonly vertexId: number;
  readonly task: string;
  readonly subtask: number;
  readonly operators: { readonly name: string; readonly metrics: OperatorMetrics }[];
};

export type FromWorker =
  | { readonly type: 'ready'; readonly slotIndex: number; readonly data: Endpoint }
  | { readonly type: 'task-state'; readonly update: Omit<TaskStateUpdate, 'taskManagerId'> }
  | { readonly type: 'metrics'; readonly subtasks: SubtaskMetrics[] };
