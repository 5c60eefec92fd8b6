// Whether and when a stopped container starts again (pure): restartPolicy Always restarts every exit,
// OnFailure only non-zero exits, Never none; the delay doubles per consecutive crash from `base` up to
// `cap` (the kubelet's CrashLoopBackOff is 10 s doubling to 5 min; the process node defaults to 1 s and
// 30 s so that tests of restarts stay fast), and a container that ran for `resetAfter` starts over at base.

export type Backoff = { readonly baseMs: number; readonly capMs: number; readonly resetAfterMs: number };

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, capMs: 30_000, resetAfterMs: 60_000 };

export function shouldRestart(restartPolicy: string | undefined, exitCode: number): boolean {
  switch (restartPolicy ?? 'Always') {
    case 'Always':
      return true;
    case 'OnFailure':
      return exitCode !== 0;
    default:
      return false;
  }
}

/** The next consecutive-crash count: a container that ran `ranMs` long enough starts counting afresh. */
export function nextCrashCount(previous: number, ranMs: number, b: Backoff): number {
  return ranMs >= b.resetAfterMs ? 1 : previous + 1;
}

/** Delay before restart number `crashes` (1 = after the first crash). */
export function restartDelayMs(crashes: number, b: Backoff): number {
  if (crashes <= 0) return 0;
  return Math.min(b.capMs, b.baseMs * 2 ** (crashes - 1));
}
