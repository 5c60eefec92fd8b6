// The second stage of q5 and q7: keyed by window end, keeps the rows whose measure equals the window's
// maximum so far (ties kept), and emits them when the watermark passes the window's end.
import type {
  KeyedProcessContext,
  KeyedProcessFunction,
  OnTimerContext,
  RuntimeContext,
  ValueState,
} from '../../../src/index.ts';
import { valueState } from '../../../src/index.ts';

export class MaxRowsPerWindow<R extends { windowEnd: number }> implements KeyedProcessFunction<number, R, R> {
  readonly #measure: (r: R) => number;
  readonly #stateName: string;
  #best!: ValueState<R[]>;

  constructor(measure: (r: R) => number, stateName: string) {
    this.#measure = measure;
    this.#stateName = stateName;
  }

  open(ctx: RuntimeContext): void {
    this.#best = ctx.getState(valueState<R[]>(this.#stateName));
  }

  processElement(r: R, ctx: KeyedProcessContext<number>): void {
    const best = this.#best.value();
    if (best === undefined) {
      this.#best.update([r]);
      ctx.timerService().registerEventTimeTimer(r.windowEnd - 1);
      return;
    }
    const [m, top] = [this.#measure(r), this.#measure(best[0]!)];
    if (m > top) this.#best.update([r]);
    else if (m === top) this.#best.update([...best, r]);
  }

  onTimer(_t: number, _ctx: OnTimerContext<number>, out: { collect(r: R): void }): void {
    for (const r of this.#best.value() ?? []) out.collect(r);
    this.#best.clear();
  }
}
