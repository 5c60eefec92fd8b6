// A slot: one worker thread running share index i of a job (subtask i of every vertex) on its own event
// loop. Channels between subtasks of this share stay in memory; channels to other shares go through the
// data plane. Task state changes are reported to the TaskManager's main thread.

import { encodeState } from '../checkpoint/state-encoding.ts';
import type { TaskSnapshot } from '../checkpoint/task-snapshot.ts';
import { errorInfo } from '../execution/record-processing-error.ts';
import type { StreamTask } from '../execution/stream-task.ts';
import { deployTasks } from '../execution/task-deployment.ts';
import { TaskScheduler } from '../execution/task-scheduler.ts';
import { topologicalVertices } from '../graph/job-graph.ts';
import { SystemProcessingTimeService } from '../time/processing-time-service.ts';
import type { DataPlane } from './data-plane.ts';
import { loadJob } from './job-loader.ts';
import { restoreAssignment } from './restore-assignment.ts';
import type { DeployShare } from './rpc-messages.ts';
import type { FromWorker, SubtaskMetrics } from './worker-messages.ts';

const CREDITS = 8;
const CAPACITY = 8;

export class SlotWorker {
  readonly #dataPlane: DataPlane;
  readonly #post: (m: FromWorker) => void;
  #current: { share: DeployShare; scheduler: TaskScheduler; done: Promise<void> } | undefined;
  /** The local vertex at this worker's end of each network channel, by channel id (for metrics). */
  readonly #channelVertex = new Map<string, number>();
  /** Attempts cancelled before they started here (the cancel overtook the deployment); a few suffice. */
  readonly #cancelledEarly: string[] = [];

  constructor(dataPlane: DataPlane, post: (m: FromWorker) => void) {
    this.#dataPlane = dataPlane;
    this.#post = post;
    // A broken data connection fails the running attempt; the JobManager then restarts the job.
    dataPlane.onError = (e) => this.#current?.scheduler.fail(e);
  }

  #logDebug(message: string, share: DeployShare): void {
    this.#post({
      type: 'log',
      level: 'debug',
      message,
      fields: { jobId: share.jobId, attempt: share.attempt },
    });
  }

  async deploy(share: DeployShare): Promise<void> {
    const previous = this.#current?.share;
    if (previous !== undefined) this.#logDebug(`Waiting for attempt ${previous.attempt} to stop`, share);
    if (previous !== undefined) await this.cancel(previous.jobId, previous.attempt);
    if (this.#cancelledEarly.includes(`${share.jobId}/${share.attempt}`)) {
      this.#logDebug('Not starting share: its attempt was cancelled already', share);
      return;
    }
    this.#logDebug('Starting share', share);
    const prefix = `${share.jobId}/${share.attempt}/`;
    const scheduler = new TaskScheduler({
      clock: new SystemProcessingTimeService(),
      onTaskState: (task, state) => this.#report(share, task, state),
    });
    let tasks: StreamTask[] = [];
    const run = async () => {
      const { graph, env } = await loadJob(share.submission, scheduler.clock);
      tasks = deployTasks(
        graph,
        {
          clock: scheduler.clock,
          autoWatermarkInterval: share.submission.autoWatermarkInterval ?? 200,
          batchSize: 512,
          channelCapacity: 16,
          stateBackend: env.config.stateBackend,
        },
        {
          isLocal: (_vertex, subtask) => subtask === share.shareIndex,
          remoteOutput: (id, _v, consumerSubtask, producerVertex) => {
            this.#channelVertex.set(prefix + id, producerVertex);
            return this.#dataPlane.createOutputChannel({
              channelId: prefix + id,
              remote: share.peers[consumerSubtask]!,
              capacity: CAPACITY,
              onWritable: () => scheduler.wakeUp(),
            });
          },
          remoteInput: (id, _v, _s, consumerVertex) => {
            this.#channelVertex.set(prefix + id, consumerVertex);
            return this.#dataPlane.createInputChannel({
              channelId: prefix + id,
              credits: CREDITS,
              onData: () => scheduler.wakeUp(),
            });
          },
        },
      );
      scheduler.addTasks(tasks, new Map(topologicalVertices(graph).map((v, i) => [v.id, i])));
      for (const t of tasks)
        t.onCheckpoint = (task, id, snapshot) => this.#acknowledge(share, task, id, snapshot);
      // A cancel (the JobManager gave up on this attempt) must not wait for connections that may never come.
      const cancelled = new Promise<'cancelled'>((resolve) => scheduler.onCancel(() => resolve('cancelled')));
      if ((await Promise.race([this.#dataPlane.connect(prefix), cancelled])) === 'cancelled') return;
      this.#logDebug('Data connections established', share);
      await scheduler.open(
        share.restoreFrom === undefined ? undefined : await restoreAssignment(share.restoreFrom, graph),
      );
      try {
        await scheduler.run();
        // Finished producers still owe their consumers the buffers waiting for credit.
        if (!scheduler.cancelRequested) await this.#dataPlane.drain(prefix);
        await scheduler.close(scheduler.cancelRequested);
      } catch (e) {
        for (const t of tasks) if (t.state !== 'finished') this.#report(share, t, 'failed', e);
        await scheduler.close(true).catch(() => {});
        throw e;
      }
    };
    const done = run()
      .catch((e) => {
        this.#post({
          type: 'log',
          level: 'warn',
          message: 'Share failed',
          fields: { jobId: share.jobId, attempt: share.attempt, err: (e as Error).message },
        });
        // Report the failure so the JobManager fails over: for every task that did not finish, or against
        // the share when no task existed yet (the job module failed to load).
        for (const t of tasks)
          if (t.state !== 'finished' && t.state !== 'failed') this.#report(share, t, 'failed', e);
        if (tasks.length === 0) {
          // Failed before any task existed (job module failed to load): report it against the share.
          this.#post({
            type: 'task-state',
            update: {
              jobId: share.jobId,
              attempt: share.attempt,
              vertexId: 0,
              subtask: share.shareIndex,
              state: 'failed',
              error: errorInfo(e),
            },
          });
        }
      })
      .finally(() => {
        this.#dataPlane.releaseChannels(prefix);
        for (const id of this.#channelVertex.keys())
          if (id.startsWith(prefix)) this.#channelVertex.delete(id);
      });
    this.#current = { share, scheduler, done };
  }

  /** Triggers a checkpoint at this share's source tasks. */
  triggerCheckpoint(jobId: string, attempt: number, checkpointId: number, timestamp: number): void {
    const current = this.#current;
    if (current === undefined || current.share.jobId !== jobId || current.share.attempt !== attempt) {
      this.#cancelledEarly.push(`${jobId}/${attempt}`);
      if (this.#cancelledEarly.length > 16) this.#cancelledEarly.shift();
      return;
    }
    for (const t of current.scheduler.tasks) {
      if (!t.isSource) continue;
      if (t.state === 'running') t.triggerCheckpoint(checkpointId, timestamp);
      else if (t.state !== 'finished')
        this.#decline(current.share, t, checkpointId, `source ${t.name} is ${t.state}`);
    }
  }

  async checkpointComplete(jobId: string, attempt: number, checkpointId: number): Promise<void> {
    const current = this.#current;
    if (current === undefined || current.share.jobId !== jobId || current.share.attempt !== attempt) {
      this.#cancelledEarly.push(`${jobId}/${attempt}`);
      if (this.#cancelledEarly.length > 16) this.#cancelledEarly.shift();
      return;
    }
    for (const t of current.scheduler.tasks) await t.notifyCheckpointComplete(checkpointId);
  }

  #acknowledge(
    share: DeployShare,
    task: StreamTask,
    checkpointId: number,
    snapshot: Promise<TaskSnapshot>,
  ): void {
    snapshot.then(
      (s) =>
        this.#post({
          type: 'checkpoint-ack',
          ack: {
            jobId: share.jobId,
            attempt: share.attempt,
            vertexId: task.vertex.id,
            subtask: task.subtaskIndex,
            checkpointId,
            snapshot: Buffer.from(encodeState(s)).toString('base64'),
          },
        }),
      (e: Error) => this.#decline(share, task, checkpointId, e.message),
    );
  }

  #decline(share: DeployShare, task: StreamTask, checkpointId: number, reason: string): void {
    this.#post({
      type: 'checkpoint-ack',
      ack: {
        jobId: share.jobId,
        attempt: share.attempt,
        vertexId: task.vertex.id,
        subtask: task.subtaskIndex,
        checkpointId,
        declineReason: reason,
      },
    });
  }

  async cancel(jobId: string, attempt: number): Promise<void> {
    const current = this.#current;
    if (current === undefined || current.share.jobId !== jobId || current.share.attempt !== attempt) {
      this.#cancelledEarly.push(`${jobId}/${attempt}`);
      if (this.#cancelledEarly.length > 16) this.#cancelledEarly.shift();
      return;
    }
    current.scheduler.cancel();
    await current.done;
    if (this.#current === current) this.#current = undefined;
  }

  metrics(): SubtaskMetrics[] {
    const current = this.#current;
    if (current === undefined) return [];
    const prefix = `${current.share.jobId}/${current.share.attempt}/`;
    const stats = this.#dataPlane.stats();
    const network = new Map<number, { bytesIn: number; bytesOut: number }>();
    const of = (id: string) => {
      const vertex = this.#channelVertex.get(id);
      if (vertex === undefined || !id.startsWith(prefix)) return undefined;
      let n = network.get(vertex);
      if (n === undefined) network.set(vertex, (n = { bytesIn: 0, bytesOut: 0 }));
      return n;
    };
    for (const [id, s] of Object.entries(stats.inputs)) {
      const n = of(id);
      if (n !== undefined) n.bytesIn += s.bytesIn;
    }
    for (const [id, s] of Object.entries(stats.outputs)) {
      const n = of(id);
      if (n !== undefined) n.bytesOut += s.bytesOut;
    }
    return current.scheduler.tasks.map((t) => ({
      jobId: current.share.jobId,
      vertexId: t.vertex.id,
      task: t.vertex.name,
      subtask: t.subtaskIndex,
      operators: t.chain.map((m) => ({ name: m.node.name, metrics: { ...m.metrics } })),
      network: {
        bytesIn: network.get(t.vertex.id)?.bytesIn ?? 0,
        bytesOut: network.get(t.vertex.id)?.bytesOut ?? 0,
        backpressuredMs: t.backpressuredMs,
      },
    }));
  }

  #report(share: DeployShare, task: StreamTask, state: StreamTask['state'], error?: unknown): void {
    this.#post({
      type: 'task-state',
      update: {
        jobId: share.jobId,
        attempt: share.attempt,
        vertexId: task.vertex.id,
        subtask: task.subtaskIndex,
        state,
        ...(error === undefined ? {} : { error: errorInfo(error) }),
      },
    });
  }
}
