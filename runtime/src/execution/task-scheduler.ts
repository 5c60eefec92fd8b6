// Runs a set of subtasks on one event loop (a thread's mailbox loop), cooperatively. Consumers run before
// producers in each round so buffers drain; sources produce only while every downstream channel has room
// (backpressure). When nothing can progress, partial batches are flushed (low latency) and the loop
// sleeps until a source has data, a network channel delivers, or a timer fires.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { OperatorRestore } from '../operators/operator-snapshot.ts';
import { SinkOperator } from '../operators/sink-operator.ts';
import type { ProcessingTimeService, ScheduledCallback } from '../time/processing-time-service.ts';
import type { StreamTask, TaskState } from './stream-task.ts';

/**
 * How long the loop works before it lets the event loop run (timers, network input, credits). Short enough
 * that data arriving from other processes waits little, long enough that yielding costs nothing measurable.
 */
const YIELD_EVERY_MS = 5;

export type SchedulerOptions = {
  readonly clock: ProcessingTimeService;
  readonly sourceBudget?: number;
  /** Called whenever a task changes state (for reporting to the JobManager). */
  readonly onTaskState?: (task: StreamTask, state: TaskState) => void;
};

export class TaskScheduler {
  readonly #tasks: StreamTask[] = [];
  readonly #consumers: StreamTask[] = [];
  readonly #sources: StreamTask[] = [];
  readonly #sourceBudget: number;
  readonly #onTaskState: ((task: StreamTask, state: TaskState) => void) | undefined;
  readonly clock: ProcessingTimeService;
  #failure: unknown;
  #cancelRequested = false;
  #running = false;
  #wake: (() => void) | undefined;

  constructor(options: SchedulerOptions) {
    this.#sourceBudget = options.sourceBudget ?? 1024;
    this.#onTaskState = options.onTaskState;
    this.clock = this.#guardedClock(options.clock);
  }

  /** Adds tasks; `order` ranks vertices topologically (consumers get higher ranks). */
  addTasks(tasks: StreamTask[], order: Map<number, number>): void {
    this.#tasks.push(...tasks);
    this.#consumers.push(...tasks.filter((t) => !t.isSource));
    this.#consumers.sort((a, b) => order.get(b.vertex.id)! - order.get(a.vertex.id)!);
    this.#sources.push(...tasks.filter((t) => t.isSource));
  }

  get tasks(): readonly StreamTask[] {
    return this.#tasks;
  }

  get failure(): unknown {
    return this.#failure;
  }

  get cancelRequested(): boolean {
    return this.#cancelRequested;
  }

  cancel(): void {
    this.#cancelRequested = true;
    for (const listener of this.#cancelListeners.splice(0)) listener();
    this.wakeUp();
  }

  readonly #cancelListeners: (() => void)[] = [];

  /** Calls `listener` once when the scheduler is cancelled (at once if it already is). */
  onCancel(listener: () => void): void {
    if (this.#cancelRequested) listener();
    else this.#cancelListeners.push(listener);
  }

  fail(e: unknown): void {
    this.#failure ??= e;
    this.wakeUp();
  }

  wakeUp(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  #setState(task: StreamTask, state: TaskState): void {
    task.state = state;
    this.#onTaskState?.(task, state);
  }

  /** Timer callbacks run between task steps and wake the loop so their output is flushed. */
  #guardedClock(base: ProcessingTimeService): ProcessingTimeService {
    return {
      now: () => base.now(),
      schedule: (timestamp, callback): ScheduledCallback =>
        base.schedule(timestamp, (now) => {
          if (!this.#running) return;
          try {
            callback(now);
          } catch (e) {
            this.fail(e);
          }
          this.wakeUp();
        }),
    };
  }

  /** Opens operators and source readers, restoring state by operator uid (undefined: a fresh start). */
  async open(restore?: ReadonlyMap<string, readonly OperatorRestore[]>): Promise<void> {
    for (const t of this.#tasks) {
      this.#setState(t, 'deploying');
      for (const m of t.chain) {
        m.operator?.initializeState(restore?.get(m.node.uid)?.[t.subtaskIndex]);
        await m.operator?.open();
      }
      if (t.isSource) {
        const node = t.vertex.head;
        t.reader = await node.source!.createReader(
          {
            subtaskIndex: t.subtaskIndex,
            parallelism: t.vertex.parallelism,
            operatorName: node.name,
            clock: this.clock,
          },
          restore?.get(node.uid)?.[t.subtaskIndex]?.operatorState,
        );
        await t.reader.start?.();
      }
    }
    for (const t of this.#tasks) this.#setState(t, 'running');
  }

  /** Runs until every task finished, the scheduler is cancelled, or a task fails (then throws). */
  async run(): Promise<void> {
    this.#running = true;
    try {
      await this.#loop();
    } finally {
      this.#running = false;
    }
    if (this.#failure !== undefined) throw this.#failure;
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
          this.#setState(t, 'finished');
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
              this.wakeUp();
            },
            (e) => this.fail(e),
          );
        } else if (status === 'end-of-input') {
          await s.finishChain();
          this.#setState(s, 'finished');
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
      } else if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  }

  /** Closes readers and operators; on cancel or failure sinks flush what they have first. */
  async close(canceled: boolean): Promise<void> {
    for (const t of this.#tasks) {
      if (canceled && t.state !== 'finished')
        this.#setState(t, this.#failure === undefined ? 'canceled' : 'failed');
      try {
        await t.reader?.close();
        for (const m of t.chain) {
          if (canceled && m.operator instanceof SinkOperator) await m.operator.flush().catch(() => {});
          await m.operator?.close();
        }
      } finally {
        // A disk backend's working files go with the task: state survives in checkpoints only.
        t.backend?.dispose();
      }
    }
  }
}

function sinkOf(t: StreamTask): SinkOperator<unknown> | undefined {
  const last = t.chain[t.chain.length - 1]!.operator;
  return last instanceof SinkOperator ? last : undefined;
}
