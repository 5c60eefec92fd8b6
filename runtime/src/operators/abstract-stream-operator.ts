// Shared behaviour of operators: watermark forwarding, record-error handling (fail or dead-letter) and,
// for keyed operators, a timer service whose timers are snapshotted with keyed state.
import { DEAD_LETTER } from '../api/dead-letter.ts';
import { errorInfo, RecordProcessingError } from '../execution/record-processing-error.ts';
import { isExpiredStored } from '../state/internal-keyed-state.ts';
import type { KeyedStateBackend, KeyedStateSnapshot } from '../state/keyed-state-backend.ts';
import type { Namespace } from '../state/state-table.ts';
import { InternalTimerService, type TimerEntry, type Triggerable } from '../time/internal-timer-service.ts';
import { MIN_WATERMARK } from '../time/watermark.ts';
import type { OperatorContext } from './operator-context.ts';
import type { KeyGroupSnapshot, OperatorRestore, OperatorSnapshot } from './operator-snapshot.ts';
import type { Output } from './output.ts';
import type { StreamOperator } from './stream-operator.ts';

export abstract class AbstractStreamOperator<IN, OUT> implements StreamOperator<IN, OUT> {
  ctx!: OperatorContext;
  output!: Output<OUT>;
  currentWatermark = MIN_WATERMARK;
  protected timerService: InternalTimerService<unknown> | undefined;

  setup(ctx: OperatorContext, output: Output<OUT>): void {
    this.ctx = ctx;
    this.output = output;
  }

  /** A keyed operator's timers; created on first use so stateless operators carry none. */
  protected getTimerService<N>(
    target: Triggerable<N>,
    namespaceKey: (ns: N) => Namespace,
  ): InternalTimerService<N> {
    if (this.timerService === undefined) {
      const backend = this.keyedBackend();
      this.timerService = new InternalTimerService<N>({
        keyContext: backend,
        namespaceKey,
        clock: this.ctx.clock,
        target,
      }) as InternalTimerService<unknown>;
      if (this.#pendingTimers.length > 0) this.timerService.restore(this.#pendingTimers);
      this.#pendingTimers = [];
    }
    return this.timerService as InternalTimerService<N>;
  }

  #pendingTimers: TimerEntry<unknown>[] = [];

  protected keyedBackend(): KeyedStateBackend {
    const backend = this.ctx.keyedBackend;
    if (backend === undefined) {
      throw new Error(
        `operator "${this.ctx.name}" uses keyed state or timers, which exist only on a keyed stream: ` +
          'call keyBy(...) before this operator',
      );
    }
    return backend;
  }

  initializeState(restore: OperatorRestore | undefined): void {
    if (restore === undefined) return;
    const backend = this.ctx.keyedBackend;
    for (const group of restore.keyGroups) {
      if (backend !== undefined) {
        backend.restoreEntries(
          group.state,
          (name) => ({ kind: this.restoredStateKind(name), name }) as never,
        );
      }
      this.#pendingTimers.push(...this.restoreTimers(group.timers));
    }
    this.restoreOperatorState(restore.operatorState);
  }

  /** The kind of a state that is restored before the operator has declared it; value unless overridden. */
  protected restoredStateKind(_name: string): string {
    return 'value';
  }

  /** Hook for operators whose timer namespaces are objects (windows). */
  protected restoreTimers(timers: TimerEntry<unknown>[]): TimerEntry<unknown>[] {
    return timers;
  }

  protected snapshotTimers(timers: TimerEntry<unknown>[]): TimerEntry<unknown>[] {
    return timers;
  }

  protected restoreOperatorState(_state: unknown[]): void {}

  protected snapshotOperatorState(): unknown[] | undefined {
    return undefined;
  }

  open(): void | Promise<void> {}

  abstract processElement(value: IN, timestamp: number): void;

  processWatermark(watermark: number): void {
    this.currentWatermark = watermark;
    this.ctx.metrics.currentInputWatermark = watermark;
    this.timerService?.advanceWatermark(watermark);
    this.ctx.metrics.currentOutputWatermark = watermark;
    this.output.emitWatermark(watermark);
  }

  processWatermarkStatus(idle: boolean): void {
    this.output.emitWatermarkStatus(idle);
  }

  endInput(): void {}

  close(): void | Promise<void> {
    this.timerService?.cancelWakeUp();
  }

  snapshotState(checkpointId: number): OperatorSnapshot | Promise<OperatorSnapshot> {
    const operatorState = this.snapshotOperatorState();
    const backend = this.ctx.keyedBackend;
    if (backend === undefined) {
      return operatorState === undefined ? { uid: this.ctx.uid } : { uid: this.ctx.uid, operatorState };
    }
    const now = backend.now();
    // Timers are taken now; keyed state now too, or (disk backend) as a consistent view read while
    // processing goes on.
    const timers =
      this.timerService === undefined
        ? undefined
        : this.timerService.snapshotByKeyGroup(this.ctx.maxParallelism);
    if (timers === undefined && this.#pendingTimers.length > 0) {
      throw new Error(
        `operator "${this.ctx.name}" restored timers it never re-registered a timer service for`,
      );
    }
    const assemble = (state: KeyedStateSnapshot): OperatorSnapshot => {
      const keyGroups = new Map<number, KeyGroupSnapshot>();
      for (const [kg, entries] of state.groups) keyGroups.set(kg, { state: entries, timers: [] });
      for (const [kg, removed] of state.removed ?? []) {
        const group = keyGroups.get(kg);
        if (group === undefined) keyGroups.set(kg, { state: [], timers: [], removed });
        else group.removed = removed;
      }
      for (const [kg, entries] of timers ?? []) {
        let group = keyGroups.get(kg);
        if (group === undefined) keyGroups.set(kg, (group = { state: [], timers: [] }));
        group.timers = this.snapshotTimers(entries);
      }
      const base = state.baseCheckpointId === undefined ? {} : { baseCheckpointId: state.baseCheckpointId };
      return operatorState === undefined
        ? { uid: this.ctx.uid, keyGroups, ...base }
        : { uid: this.ctx.uid, keyGroups, operatorState, ...base };
    };
    const state = backend.snapshotKeyedState(checkpointId, (table, stored) =>
      isExpiredStored(table, stored, now),
    );
    return state instanceof Promise ? state.then(assemble) : assemble(state);
  }

  notifyCheckpointComplete(_checkpointId: number): void | Promise<void> {}

  /**
   * Handles an exception a user function threw on a record: by default the job fails with a message naming
   * the operator, the record and the cause; with the dead-letter policy the record goes to DEAD_LETTER.
   */
  protected recordFailed(record: unknown, timestamp: number, cause: unknown): void {
    if (cause instanceof RecordProcessingError) throw cause; // raised further down the chain
    this.ctx.metrics.numRecordsFailed++;
    if (this.ctx.recordErrors === 'dead-letter') {
      this.output.collectSide(
        DEAD_LETTER,
        { operator: this.ctx.name, record, timestamp, error: errorInfo(cause) },
        timestamp,
      );
      return;
    }
    throw new RecordProcessingError(this.ctx.name, record, cause);
  }
}
