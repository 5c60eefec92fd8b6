import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DEFAULT_EXPONENTIAL_DELAY,
  INITIAL_RESTART_STATE,
  onFailure,
  type RestartState,
} from './restart-strategy.ts';

const cfg = DEFAULT_EXPONENTIAL_DELAY;
const NO_JITTER = 0.5; // 2 * 0.5 - 1 = 0

test('delays double from 1 s and cap at 5 min (Flink defaults)', () => {
  let state: RestartState = INITIAL_RESTART_STATE;
  const delays: number[] = [];
  for (let i = 0; i < 11; i++) {
    const d = onFailure(cfg, state, 1000 * i, NO_JITTER);
    assert.ok(d.restart);
    delays.push(d.delayMs);
    state = d.state;
  }
  assert.equal(delays, [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000]);
});

test('jitter stays within ±10%', () => {
  const low = onFailure(cfg, INITIAL_RESTART_STATE, 0, 0);
  const high = onFailure(cfg, INITIAL_RESTART_STATE, 0, 0.999999);
  assert.ok(low.restart && high.restart);
  assert.is(low.delayMs, 900);
  assert.is(high.delayMs, 1100);
});

test('backoff resets after an hour without failures', () => {
  const first = onFailure(cfg, INITIAL_RESTART_STATE, 0, NO_JITTER);
  const second = onFailure(cfg, first.state, 10_000, NO_JITTER);
  assert.ok(second.restart && second.delayMs === 2000);
  const later = onFailure(cfg, second.state, 10_000 + 3_600_000, NO_JITTER);
  assert.ok(later.restart);
  assert.is(later.delayMs, 1000);
});

test('a limited number of attempts ends in a terminal failure with a reason', () => {
  const limited = { ...cfg, attempts: 2 };
  let state = INITIAL_RESTART_STATE;
  for (let i = 0; i < 2; i++) {
    const d = onFailure(limited, state, i, NO_JITTER);
    assert.ok(d.restart);
    state = d.state;
  }
  const last = onFailure(limited, state, 5, NO_JITTER);
  assert.not.ok(last.restart);
  assert.match(last.restart ? '' : last.reason, /2 restarts allowed/);
});

test.run();
