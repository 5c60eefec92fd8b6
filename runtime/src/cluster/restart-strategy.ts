// Flink's exponential-delay restart strategy (the default with checkpointing since 1.19): the delay starts at
// 1 s and doubles per failure up to 5 min, with ±10% jitter; after 1 h without failure it resets. Pure:
// time and randomness are passed in.

export type ExponentialDelayConfig = {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly backoffMultiplier: number;
  readonly resetBackoffThresholdMs: number;
  readonly jitterFactor: number;
  /** Restarts allowed before the job fails for good (Infinity = no limit). */
  readonly attempts: number;
};

export const DEFAULT_EXPONENTIAL_DELAY: ExponentialDelayConfig = {
  initialBackoffMs: 1000,
  maxBackoffMs: 300_000,
  backoffMultiplier: 2,
  resetBackoffThresholdMs: 3_600_000,
  jitterFactor: 0.1,
  attempts: Number.POSITIVE_INFINITY,
};

export type RestartState = {
  readonly currentBackoffMs: number;
  readonly lastFailureAt: number;
  readonly restarts: number;
};

export const INITIAL_RESTART_STATE: RestartState = {
  currentBackoffMs: 0,
  lastFailureAt: Number.NEGATIVE_INFINITY,
  restarts: 0,
};

export type RestartDecision =
  | { readonly restart: true; readonly delayMs: number; readonly state: RestartState }
  | { readonly restart: false; readonly reason: string; readonly state: RestartState };

/** Decides, on a failure at `now`, whether and after how long to restart. `random` is in [0, 1). */
export function onFailure(
  config: ExponentialDelayConfig,
  state: RestartState,
  now: number,
  random: number,
): RestartDecision {
  const quietFor = now - state.lastFailureAt;
  const reset = quietFor >= config.resetBackoffThresholdMs;
  const restarts = state.restarts + 1;
  if (restarts > config.attempts) {
    return {
      restart: false,
      reason: `restart strategy exhausted: ${config.attempts} restarts allowed`,
      state: { ...state, lastFailureAt: now, restarts },
    };
  }
  const base =
    reset || state.currentBackoffMs === 0
      ? config.initialBackoffMs
      : Math.min(state.currentBackoffMs * config.backoffMultiplier, config.maxBackoffMs);
  const jitter = base * config.jitterFactor * (2 * random - 1);
  const delayMs = Math.max(0, Math.round(Math.min(base + jitter, config.maxBackoffMs)));
  return { restart: true, delayMs, state: { currentBackoffMs: base, lastFailureAt: now, restarts } };
}
