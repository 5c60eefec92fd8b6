// order-analytics: orders over $1,000 counted per minute. Run: npm run riffle -- run examples/order-analytics/job.ts
//   [--count N]   bounded run over N generated orders (default 100,000: about 16 minutes of event time)
//   [--live]      unbounded, rate-limited generation (Ctrl-C stops)
//   [--rate R]    orders per second with --live (default 1,000)
//   [--parallelism P]  parallelism of every operator (default: the CLI's --parallelism, else 1)
// On Kafka (fill the topic with: node examples/load-generator.ts orders --kafka HOST:PORT):
//   --kafka HOST:PORT  read JSON orders from --input-topic (default orders); malformed ones go to orders-dlq
//   [--until-end]      stop at the end of the topic as it was at start
import {
  DataGeneratorSource,
  KafkaDeserializers,
  KafkaSource,
  PrintSink,
  type Source,
  type StreamExecutionEnvironment,
  type WatermarkStrategy,
} from '../../runtime/src/index.ts';
import { positiveNumberArg } from '../job-args.ts';
import { kafkaArgs, topicArg } from '../kafka-args.ts';
import { generateOrder, type Order, OrderSchema } from './order.ts';
import { type BigOrdersPerMinute, bigOrderAnalytics, watermarks } from './pipeline.ts';

export default function orderAnalytics(env: StreamExecutionEnvironment, args: string[]): void {
  const live = args.includes('--live');
  const count = positiveNumberArg('order-analytics', args, '--count', 100_000);
  const rate = positiveNumberArg('order-analytics', args, '--rate', 1000);
  if (args.includes('--parallelism'))
    env.setParallelism(positiveNumberArg('order-analytics', args, '--parallelism', 1));
  const kafka = kafkaArgs('order-analytics', args);
  if (kafka?.checkpoints !== undefined)
    throw new Error('order-analytics: --exactly-once is for jobs that write to Kafka');
  const msPerOrder = live ? 1000 / rate : 10;
  let source: Source<Order>;
  let strategy: WatermarkStrategy<Order> | undefined = watermarks();
  if (kafka === undefined) {
    source = new DataGeneratorSource<Order>((i, rng) => generateOrder(i, rng, msPerOrder), {
      seed: 1000,
      ...(live ? { recordsPerSecond: rate } : { count }),
    });
  } else {
    const input = topicArg('order-analytics', args, '--input-topic', 'orders');
    source = new KafkaSource<Order>({
      bootstrapServers: kafka.bootstrapServers,
      topics: [input],
      groupId: 'order-analytics',
      deserializer: KafkaDeserializers.json(OrderSchema),
      watermarkStrategy: strategy, // per partition, merged by minimum
      deadLetterTopic: `${input}-dlq`,
      ...(kafka.untilEnd ? { stoppingOffsets: 'latest' as const } : {}),
    });
    strategy = undefined;
  }
  const { perMinute, late } = bigOrderAnalytics(env.fromSource(source, strategy, 'orders').uid('orders'));
  perMinute
    .sinkTo(
      new PrintSink<BigOrdersPerMinute>({
        format: (r) =>
          `${new Date(r.windowStart).toISOString()} .. ${new Date(r.windowEnd).toISOString()}  ${r.count} orders over $1,000 (total $${r.total.toFixed(2)})`,
      }),
    )
    .name('dashboard');
  late.sinkTo(new PrintSink<Order>({ prefix: 'LATE', stderr: true })).name('late big orders');
}
