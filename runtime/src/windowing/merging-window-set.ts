// Flink's MergingWindowSet: for one key, the live session windows and, for each, the window whose namespace
// holds its state (state is not moved when windows merge; the mapping changes instead). Persisted in keyed
// state as plain tuples so it survives snapshots.
import type { ValueState } from '../state/keyed-state.ts';
import { mergeTimeWindows } from './session-windows.ts';
import { TimeWindow } from './window.ts';

/** [start, end, stateStart, stateEnd] per live window. */
export type PersistedWindowSet = [number, number, number, number][];

export type MergeFunction = (
  mergeResult: TimeWindow,
  mergedWindows: TimeWindow[],
  stateWindowResult: TimeWindow,
  mergedStateWindows: TimeWindow[],
) => void;

export class MergingWindowSet {
  /** window → state window; keys compared by value through `key()`. */
  readonly #mapping = new Map<string, { window: TimeWindow; stateWindow: TimeWindow }>();
  readonly #state: ValueState<PersistedWindowSet>;

  constructor(state: ValueState<PersistedWindowSet>) {
    this.#state = state;
    for (const [s, e, ss, se] of state.value() ?? []) {
      const w = TimeWindow.merging(s, e);
      this.#mapping.set(key(w), { window: w, stateWindow: TimeWindow.merging(ss, se) });
    }
  }

  persist(): void {
    if (this.#mapping.size === 0) {
      this.#state.clear();
      return;
    }
    const out: PersistedWindowSet = [];
    for (const { window, stateWindow } of this.#mapping.values()) {
      out.push([window.start, window.end, stateWindow.start, stateWindow.end]);
    }
    this.#state.update(out);
  }

  getStateWindow(window: TimeWindow): TimeWindow | undefined {
    return this.#mapping.get(key(window))?.stateWindow;
  }

  retireWindow(window: TimeWindow): void {
    if (!this.#mapping.delete(key(window))) {
      throw new Error(`window ${window} is not in the merging window set`);
    }
  }

  /** Adds a window, merging it with overlapping ones; returns the window the new one ended up in. */
  addWindow(newWindow: TimeWindow, mergeFunction: MergeFunction): TimeWindow {
    const windows = [...[...this.#mapping.values()].map((m) => m.window), newWindow];
    const mergeResults: [TimeWindow, TimeWindow[]][] = [];
    mergeTimeWindows(windows, (toBeMerged, mergeResult) => mergeResults.push([mergeResult, toBeMerged]));

    let resultWindow = newWindow;
    let mergedNewWindow = false;
    for (const [mergeResult, members] of mergeResults) {
      let mergedWindows = members;
      const withoutNew = mergedWindows.filter((w) => w !== newWindow);
      if (withoutNew.length !== mergedWindows.length) {
        mergedNewWindow = true;
        resultWindow = mergeResult;
        mergedWindows = withoutNew;
      }
      const mergedStateWindow = this.#mapping.get(key(mergedWindows[0]!))!.stateWindow;
      const mergedStateWindows: TimeWindow[] = [];
      for (const w of mergedWindows) {
        const removed = this.#mapping.get(key(w));
        if (removed !== undefined) {
          this.#mapping.delete(key(w));
          mergedStateWindows.push(removed.stateWindow);
        }
      }
      this.#mapping.set(key(mergeResult), { window: mergeResult, stateWindow: mergedStateWindow });
      const others = mergedStateWindows.filter((w) => !w.equals(mergedStateWindow));
      // Merging one existing window into itself without extending it changes nothing.
      if (!(mergedWindows.length === 1 && mergedWindows[0]!.equals(mergeResult))) {
        mergeFunction(mergeResult, mergedWindows, mergedStateWindow, others);
      }
    }
    if (mergeResults.length === 0 || (resultWindow === newWindow && !mergedNewWindow)) {
      this.#mapping.set(key(resultWindow), { window: resultWindow, stateWindow: resultWindow });
    }
    return resultWindow;
  }
}

function key(w: TimeWindow): string {
  return `${w.start}:${w.end}`;
}
