// Orders over $1,000 counted per one-minute tumbling window of event time (the dashboard of the seed use
// case). Orders may arrive up to 5 s out of order; a window fires when the watermark passes its end. A big
// order arriving after its window fired goes to the LATE_ORDERS side output instead of being dropped.
import {
  type AggregateFunction,
  type Collector,
  type DataStream,
  OutputTag,
  Time,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../../runtime/src/index.ts';
import type { Order } from './order.ts';

export const BIG_ORDER = 1000;

export type BigOrdersPerMinute = {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly count: number;
  readonly total: number;
};

export function watermarks(perEvent = false): WatermarkStrategy<Order> {
  const strategy = perEvent
    ? WatermarkStrategy.forBoundedOutOfOrdernessPerEvent<Order>(Time.seconds(5))
    : WatermarkStrategy.forBoundedOutOfOrderness<Order>(Time.seconds(5));
  return strategy.withTimestampAssigner((o) => o.timestamp);
}

type Acc = { count: number; total: number };

const countAndTotal: AggregateFunction<Order, Acc, Acc> = {
  createAccumulator: () => ({ count: 0, total: 0 }),
  add: (o, acc) => ({ count: acc.count + 1, total: acc.total + o.amount }),
  getResult: (acc) => acc,
  merge: (a, b) => ({ count: a.count + b.count, total: a.total + b.total }),
};

/** Big orders that arrived after their minute's window had fired (more than 5 s behind the latest order). */
export const LATE_ORDERS = new OutputTag<Order>('late-big-orders');

export type BigOrderAnalytics = {
  readonly perMinute: DataStream<BigOrdersPerMinute>;
  /** Big orders too late for their window: not in any count. */
  readonly late: DataStream<Order>;
};

/** The per-minute counts and the big orders that came too late to be counted. */
export function bigOrderAnalytics(orders: DataStream<Order>): BigOrderAnalytics {
  const counts = orders
    .filter((o) => o.amount > BIG_ORDER)
    .name('Orders over $1,000')
    .keyBy(() => 'all')
    .window(TumblingEventTimeWindows.of(Time.minutes(1)))
    .sideOutputLateData(LATE_ORDERS)
    .aggregate(countAndTotal, (_key, ctx, results, out: Collector<BigOrdersPerMinute>) => {
      const r = results[0]!;
      out.collect({
        windowStart: ctx.window.start,
        windowEnd: ctx.window.end,
        count: r.count,
        total: Math.round(r.total * 100) / 100,
      });
    })
    .name('Big orders per minute')
    .uid('big-orders-per-minute');
  return { perMinute: counts, late: counts.getSideOutput(LATE_ORDERS) };
}
