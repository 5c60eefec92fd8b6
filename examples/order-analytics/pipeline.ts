// Orders over $1,000 counted per one-minute tumbling window of event time (the dashboard of the seed use
// case). Orders may arrive up to 5 s out of order; a window fires when the watermark passes its end.
import {
  type AggregateFunction,
  type Collector,
  type DataStream,
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

export function bigOrdersPerMinute(orders: DataStream<Order>): DataStream<BigOrdersPerMinute> {
  return orders
    .filter((o) => o.amount > BIG_ORDER)
    .name('Orders over $1,000')
    .keyBy(() => 'all')
    .window(TumblingEventTimeWindows.of(Time.minutes(1)))
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
}
