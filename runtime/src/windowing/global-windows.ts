// One window per key holding everything; it fires only through a custom trigger (e.g. count windows).
import type { Trigger } from './trigger.ts';
import { NeverTrigger } from './triggers.ts';
import { GlobalWindow } from './window.ts';
import type { WindowAssigner } from './window-assigner.ts';

const ONLY: readonly GlobalWindow[] = [GlobalWindow.INSTANCE];

export class GlobalWindows implements WindowAssigner<unknown, GlobalWindow> {
  static create(): GlobalWindows {
    return new GlobalWindows();
  }

  assignWindows(): readonly GlobalWindow[] {
    return ONLY;
  }

  getDefaultTrigger(): Trigger<unknown, GlobalWindow> {
    return new NeverTrigger();
  }

  isEventTime(): boolean {
    return false;
  }

  toString(): string {
    return 'GlobalWindows()';
  }
}
