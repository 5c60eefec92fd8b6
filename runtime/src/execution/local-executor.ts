// Runs a job inside one process: all subtasks on one event loop, scheduled cooperatively. Consumers run
// before producers in each round so buffers drain; sources produce only while every downstream channel has
// room (backpressure). When nothing can progress, partial batches are flushed (low latency) and the loop
// sleeps until a source has data or a timer fires.
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type JobGraph, topologicalVertices } from '../graph/job-graph.ts';
import { SinkOperator } from '../operators/sink-operator.ts';
import type { ProcessingTimeService, ScheduledCallback } from '../time/processing-time-service.ts';
import type { JobClient, JobExecutionResult, JobStatus } from './job-execution-result.ts';
import type { StreamTask } from './stream-task.ts';
import { deployTasks } from './task-deployment.ts';

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
  readonly #tasks: StreamTask[];
  readonly #consumers: StreamTask[];
  readonly #sources: StreamTask[];
  readonly #sourceBudget: number;
  #status: JobStatus = 'CREATED';
  #failure: unknown;
  #cancelRequested = false;
  #wake: (() => void) | undefined;
  readonly #started = Date.now();
  readonly #clock: ProcessingTimeService;

  constructor(job: JobGraph, options: LocalExecutorOptions) {
    this.jobName = job.jobName;
    this.#sourceBudget = options.sourceBudget ?? 1024;
    this.#clock = this.#taskClock(options.clock);
    this.#tasks = deployTasks(job, {
      clock: this.#clock,
      autoWatermarkInterval: options.autoWatermarkInterval,
      batchSize: options.batchSize ?? 512,
      channelCapacity: options.channelCapacity ?? 16,
    });
    const order = new Map(topologicalVertices(job).map((v, i) => [v.id, i]));
    this.#consumers = this.#tasks
      .filter((t) => !t.isSource)
      .sort((a, b) => order.get(b.vertex.id)! - order.get(a.vertex.id)!);
    this.#sources = this.#tasks.filter((t) => t.isSource);
    this.result = this.#run();
    this.result.catch(() => {});
  }

  status(): JobStatus {
    return this.#status;
  }

  async cancel(): Promise<void> {
    this.#cancelRequested = true;
    this.#wakeUp();
    await this.result.catch(() => {});
  }

  /** Timer callbacks run between task steps and wake the loop so their output is flushed. */
  #taskClock(base: ProcessingTimeService): ProcessingTimeService {
    return {
      now: () => base.now(),
      schedule: (timestamp, callback): ScheduledCallback =>
        base.schedule(timestamp, (now) => {
          if (this.#status !== 'RUNNING') return;
          try {
            callback(now);
          } catch (e) {
            this.#fail(e);
          }
          this.#wakeUp();
        }),
    };
  }

  #fail(e: unknown): void {
    this.#failure ??= e;
    this.#wakeUp();
  }

  #wakeUp(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  async #run(): Promise<JobExecutionResult> {
    await Promise.resolve(); // let the caller attach handlers before work starts
    try {
      await this.#open();
      this.#status = 'RUNNING';
      await this.#loop();
      if (this.#failure !== undefined) throw this.#failure;
      this.#status = this.#cancelRequested ? 'CANCELED' : 'FINISHED';
      await this.#close(this.#cancelRequested);
    } catch (e) {
      this.#status = 'FAILED';
      await this.#close(true).catch(() => {});
      throw e;
    }
    return {
      jobId: this.jobId,
      jobName: this.jobName,
      status: this.#status,
      netRuntimeMs: Date.now() - this.#started,
    };
  }

  async #open(): Promise<void> {
    for (const t of this.#tasks) {
      t.state = 'deploying';
      for (const m of t.chain) {
        m.operator?.initializeState(undefined);
        await m.operator?.open();
      }
      if (t.isSource) {
        const node = t.vertex.head;
        t.reader = await node.source!.createReader(
          {
            subtaskIndex: t.subtaskIndex,
            parallelism: t.vertex.parallelism,
            operatorName: node.name,
            clock: this.#clock,
          },
          undefined,
        );
        await t.reader.start?.();
      }
      t.state = 'running';
    }
  }

  async #loop(): Promise<void> {
    let lastYield = performance.now();
    for (;;) {
      if (this.#failure !== undefined || this.#cancelRequested) return;
      let progressed = false;
      for (const t of this.#consumers) {
        if (t.state !== 'running') continue;
        const sink = sinkOf(t);
        if (sink?.backpressured) await sink.drain();
        if (t.hasInput() && t.hasOutputCapacity()) {
          if (t.processInput(64) > 0) progressed = true;
        }
        if (t.inputEnded) {
          await t.finishChain();
          t.state = 'finished';
          progressed = true;
        }
      }
      for (const s of this.#sources) {
        if (s.state !== 'running' || s.waitingForInput || !s.hasOutputCapacity()) continue;
        const status = s.pollSource(this.#sourceBudget);
        progressed = true;
        if (status === 'nothing-available') {
          s.waitingForInput = true;
          s.reader!.isAvailable().then(
            () => {
              s.waitingForInput = false;
              this.#wakeUp();
            },
            (e) => this.#fail(e),
          );
        } else if (status === 'end-of-input') {
          await s.finishChain();
          s.state = 'finished';
        }
      }
      if (this.#tasks.every((t) => t.state === 'finished')) return;
      if (!progressed) {
        let flushed = false;
        for (const t of this.#tasks) if (t.flushOutputs()) flushed = true;
        if (!flushed) {
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
        }
        lastYield = performance.now();
      } else if (performance.now() - lastYield > 10) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  }

  async #close(canceled: boolean): Promise<void> {
    for (const t of this.#tasks) {
      if (canceled && t.state !== 'finished') t.state = 'canceled';
      await t.reader?.close();
      for (const m of t.chain) {
        if (canceled && m.operator instanceof SinkOperator) await m.operator.flush().catch(() => {});
        await m.operator?.close();
      }
    }
  }
}

function sinkOf(t: StreamTask): SinkOperator<unknown> | undefined {
  const last = t.chain[t.chain.length - 1]!.operator;
  return last instanceof SinkOperator ? last : undefined;
}
