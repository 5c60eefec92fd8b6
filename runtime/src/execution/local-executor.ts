// Runs a job inside one process: every subtask on this thread, connected by in-memory channels.
import { randomUUID } from 'node:crypto';
import { type JobGraph, topologicalVertices } from '../graph/job-graph.ts';
import type { ProcessingTimeService } from '../time/processing-time-service.ts';
import type { JobClient, JobExecutionResult, JobStatus } from './job-execution-result.ts';
import { deployTasks } from './task-deployment.ts';
import { TaskScheduler } from './task-scheduler.ts';

export type LocalExecutorOptions = {
  readonly clock: ProcessingTimeService;
  readonly autoWatermarkInterval: number;
  readonly batchSize?: number;
  readonly channelCapacity?: number;
  readonly sourceBudget?: number;
};

export class LocalExecutor implements JobClient {
  readonly jobId = randomUUID().replaceAll('-', '');
  readonly jobName: string;
  readonly result: Promise<JobExecutionResult>;
  readonly #scheduler: TaskScheduler;
  #status: JobStatus = 'CREATED';
  readonly #started = Date.now();

  constructor(job: JobGraph, options: LocalExecutorOptions) {
    this.jobName = job.jobName;
    this.#scheduler = new TaskScheduler({
      clock: options.clock,
      ...(options.sourceBudget === undefined ? {} : { sourceBudget: options.sourceBudget }),
    });
    const tasks = deployTasks(job, {
      clock: this.#scheduler.clock,
      autoWatermarkInterval: options.autoWatermarkInterval,
      batchSize: options.batchSize ?? 512,
      channelCapacity: options.channelCapacity ?? 16,
    });
    this.#scheduler.addTasks(tasks, new Map(topologicalVertices(job).map((v, i) => [v.id, i])));
    this.result = this.#run();
    this.result.catch(() => {});
  }

  status(): JobStatus {
    return this.#status;
  }

  async cancel(): Promise<void> {
    this.#scheduler.cancel();
    await this.result.catch(() => {});
  }

  async #run(): Promise<JobExecutionResult> {
    await Promise.resolve(); // let the caller attach handlers before work starts
    const scheduler = this.#scheduler;
    try {
      await scheduler.open();
      this.#status = 'RUNNING';
      await scheduler.run();
      this.#status = scheduler.cancelRequested ? 'CANCELED' : 'FINISHED';
      await scheduler.close(scheduler.cancelRequested);
    } catch (e) {
      this.#status = 'FAILED';
      await scheduler.close(true).catch(() => {});
      throw e;
    }
    return {
      jobId: this.jobId,
      jobName: this.jobName,
      status: this.#status,
      netRuntimeMs: Date.now() - this.#started,
      metrics: this.#metrics(),
    };
  }

  #metrics(): JobExecutionResult['metrics'] {
    type Counters = {
      name: string;
      numRecordsIn: number;
      numRecordsOut: number;
      numLateRecordsDropped: number;
      numRecordsFailed: number;
    };
    const out: Record<string, Counters> = {};
    for (const task of this.#scheduler.tasks) {
      for (const m of task.chain) {
        const c = (out[m.node.uid] ??= {
          name: m.node.name,
          numRecordsIn: 0,
          numRecordsOut: 0,
          numLateRecordsDropped: 0,
          numRecordsFailed: 0,
        });
        c.numRecordsIn += m.metrics.numRecordsIn;
        c.numRecordsOut += m.metrics.numRecordsOut;
        c.numLateRecordsDropped += m.metrics.numLateRecordsDropped;
        c.numRecordsFailed += m.metrics.numRecordsFailed;
      }
    }
    return out;
  }
}
