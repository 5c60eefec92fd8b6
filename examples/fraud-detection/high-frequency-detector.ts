// Detects an account making more than 5 transactions within any 1-minute span of event time.
//
// Transactions may arrive up to 5 s out of order, so each one waits in keyed state until the watermark
// passes its timestamp; an event-time timer then evaluates the account's transactions in timestamp order
// (ties by id). The result therefore does not depend on arrival order. The account's timestamps of the last
// minute (t - 60 s, t] are kept; when a transaction makes them more than 5, one alert is raised for the
// burst, and no other until the account drops back to 5 or fewer in a minute. A transaction that arrives
// after the watermark passed its time is too late to be placed in order: it goes to the LATE_TRANSACTIONS
// side output (the large-amount rule still sees it).
import {
  type KeyedProcessFunction,
  type ListState,
  listState,
  type MapState,
  mapState,
  OutputTag,
  type ValueState,
  valueState,
} from '../../runtime/src/index.ts';
import { type Alert, MAX_TRANSACTIONS_PER_MINUTE, MINUTE } from './alert.ts';
import type { Transaction } from './transaction.ts';

export const LATE_TRANSACTIONS = new OutputTag<Transaction>('late-transactions');

export function highFrequencyDetector(): KeyedProcessFunction<string, Transaction, Alert> {
  let pending!: MapState<number, Transaction[]>;
  let recent!: ListState<number>;
  let inBurst!: ValueState<boolean>;
  return {
    open(ctx) {
      pending = ctx.getMapState(mapState<number, Transaction[]>('pending-by-time'));
      recent = ctx.getListState(listState<number>('last-minute'));
      inBurst = ctx.getState(valueState<boolean>('in-burst'));
    },

    processElement(tx, ctx) {
      const ts = ctx.timestamp();
      if (ts <= ctx.timerService().currentWatermark()) {
        ctx.output(LATE_TRANSACTIONS, tx);
        return;
      }
      pending.put(ts, [...(pending.get(ts) ?? []), tx]);
      ctx.timerService().registerEventTimeTimer(ts);
    },

    onTimer(ts, ctx, out) {
      const due = pending.get(ts);
      // Keep only the last minute: (ts - 60 s, ts].
      const window = recent.get().filter((t) => t > ts - MINUTE);
      if (due !== undefined) {
        pending.remove(ts);
        for (const tx of [...due].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
          window.push(ts);
          if (window.length > MAX_TRANSACTIONS_PER_MINUTE && inBurst.value() !== true) {
            inBurst.update(true);
            out.collect({
              type: 'high-frequency',
              account: ctx.getCurrentKey(),
              transactionId: tx.id,
              count: window.length,
              windowStart: window[0]!,
              timestamp: ts,
            });
          }
        }
        // Re-evaluate once this minute has passed, to end the burst and free state.
        ctx.timerService().registerEventTimeTimer(ts + MINUTE);
      }
      if (window.length <= MAX_TRANSACTIONS_PER_MINUTE) inBurst.clear();
      if (window.length === 0) recent.clear();
      else recent.update(window);
    },
  };
}
