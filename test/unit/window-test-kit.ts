// Builds WindowOperators for tests: count per key and window, emitted as "key@start-end=count".
import type { AggregateFunction } from '../../runtime/src/api/functions.ts';
import { OutputTag } from '../../runtime/src/api/output-tag.ts';
import { toProcessWindowFunction } from '../../runtime/src/api/process-window-function.ts';
import type { Trigger } from '../../runtime/src/windowing/trigger.ts';
import type { TimeWindow, Window } from '../../runtime/src/windowing/window.ts';
import type { WindowAssigner } from '../../runtime/src/windowing/window-assigner.ts';
import { WindowOperator } from '../../runtime/src/windowing/window-operator.ts';
import { OperatorHarness } from './harness/operator-harness.ts';

export type Ev = { key: string; n?: number };

export const LATE = new OutputTag<Ev>('late');

export const count: AggregateFunction<Ev, number, number> = {
  createAccumulator: () => 0,
  add: (_e, a) => a + 1,
  getResult: (a) => a,
  merge: (a, b) => a + b,
};

export function describe(key: string, w: Window, n: unknown): string {
  const tw = w as TimeWindow;
  return tw.start === undefined ? `${key}=${n}` : `${key}@${tw.start}-${tw.end}=${n}`;
}

export async function countingWindow<W extends Window>(
  assigner: WindowAssigner<Ev, W>,
  options: { allowedLateness?: number; lateTag?: boolean; trigger?: Trigger<Ev, W>; list?: boolean } = {},
): Promise<OperatorHarness<Ev, string>> {
  const windowFunction = toProcessWindowFunction<unknown, string, string, W>((key, ctx, elements, out) =>
    out.collect(describe(key, ctx.window, options.list ? elements.length : elements[0])),
  );
  const op = new WindowOperator<Ev, number, string, string, W>({
    assigner,
    trigger: options.trigger ?? assigner.getDefaultTrigger(),
    contents: options.list ? { kind: 'list' } : { kind: 'aggregate', fn: count },
    windowFunction,
    allowedLateness: options.allowedLateness ?? 0,
    lateDataTag: options.lateTag ? LATE : undefined,
  });
  return new OperatorHarness<Ev, string>(op as never, { keyOf: (e) => e.key }).open();
}
