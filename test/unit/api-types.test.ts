// Compile-time checks: `npm run typecheck` fails if the DataStream API stops catching these mistakes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CollectSink,
  StreamExecutionEnvironment,
  Time,
  TumblingEventTimeWindows,
} from '../../runtime/src/index.ts';

type Order = { id: string; amount: number };

function typedPipelines(): void {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const orders = env.fromCollection<Order>([]);
  const amounts = orders.map((o) => o.amount);
  // @ts-expect-error: amounts are numbers, not orders
  amounts.filter((o) => o.amount > 10);
  // @ts-expect-error: a sink of strings does not accept numbers
  amounts.sinkTo(new CollectSink<string>());
  orders
    .keyBy((o) => o.id)
    .window(TumblingEventTimeWindows.of(Time.minutes(1)))
    // @ts-expect-error: the reduce function must return an Order
    .reduce((a, b) => a.amount + b.amount);
  // @ts-expect-error: keys must be primitives or tuples, not objects
  orders.keyBy((o) => ({ id: o.id }));
  const counts = orders
    .keyBy((o) => o.id)
    .window(TumblingEventTimeWindows.of(Time.minutes(1)))
    .aggregate({
      createAccumulator: () => 0,
      add: (_o: Order, acc: number) => acc + 1,
      getResult: (acc: number) => acc,
      merge: (a: number, b: number) => a + b,
    });
  // @ts-expect-error: counts are numbers
  counts.map((c) => c.toUpperCase());
}

test('the typed API compiles (its mistakes are checked by tsc through @ts-expect-error)', () => {
  assert.type(typedPipelines, 'function');
});

test.run();
