// fraud-detection: alerts on card transactions. Run: npm run riffle -- run examples/fraud-detection/job.ts
//   [--count N]   bounded run over N generated transactions (default 100,000)
//   [--live]      unbounded, rate-limited generation, alerts printed as they happen (Ctrl-C stops)
//   [--rate R]    transactions per second with --live (default 2,000)
//   [--parallelism P]  parallelism of every operator (default: the CLI's --parallelism, else 1)
// On Kafka (fill the topic with: node examples/load-generator.ts transactions --kafka HOST:PORT):
//   --kafka HOST:PORT  read JSON transactions from --input-topic (default transactions), write alerts as JSON
//                      to --output-topic (default alerts); malformed transactions go to transactions-dlq
//   [--until-end]      stop at the end of the topic as it was at start
//   [--exactly-once DIR]  transactional alerts, committed with checkpoints (every 5 s) stored in DIR
import {
  DataGeneratorSource,
  type DataStream,
  KafkaDeserializers,
  KafkaSerializers,
  KafkaSink,
  KafkaSource,
  PrintSink,
  type StreamExecutionEnvironment,
} from '../../runtime/src/index.ts';
import { positiveNumberArg } from '../job-args.ts';
import { type KafkaArgs, kafkaArgs, topicArg } from '../kafka-args.ts';
import type { Alert } from './alert.ts';
import { detectFraud, watermarks } from './pipeline.ts';
import { generateTransaction, type Transaction, TransactionSchema } from './transaction.ts';

export default function fraudDetection(env: StreamExecutionEnvironment, args: string[]): void {
  const live = args.includes('--live');
  const count = positiveNumberArg('fraud-detection', args, '--count', 100_000);
  const rate = positiveNumberArg('fraud-detection', args, '--rate', 2000);
  if (args.includes('--parallelism'))
    env.setParallelism(positiveNumberArg('fraud-detection', args, '--parallelism', 1));
  const kafka = kafkaArgs('fraud-detection', args);
  if (kafka !== undefined) {
    onKafka(env, kafka, args);
    return;
  }
  // Live: event time follows the wall clock at `rate` transactions per second. Bounded: 100 per second.
  const msPerTransaction = live ? 1000 / rate : 10;
  const source = new DataGeneratorSource<Transaction>(
    (i, rng) => generateTransaction(i, rng, msPerTransaction),
    {
      seed: 2026,
      ...(live ? { recordsPerSecond: rate } : { count }),
    },
  );
  const { alerts, late } = detectFraud(env.fromSource(source, watermarks(), 'transactions'));
  alerts.sinkTo(new PrintSink<Alert>({ prefix: 'ALERT', format: formatAlert })).name('alerts');
  late.sinkTo(new PrintSink<Transaction>({ prefix: 'LATE', stderr: true })).name('late transactions');
}

function onKafka(env: StreamExecutionEnvironment, kafka: KafkaArgs, args: string[]): void {
  const input = topicArg('fraud-detection', args, '--input-topic', 'transactions');
  const output = topicArg('fraud-detection', args, '--output-topic', 'alerts');
  if (kafka.checkpoints !== undefined) env.enableCheckpointing(5000, { storage: kafka.checkpoints });
  const transactions: DataStream<Transaction> = env
    .fromSource(
      new KafkaSource<Transaction>({
        bootstrapServers: kafka.bootstrapServers,
        topics: [input],
        groupId: 'fraud-detection',
        deserializer: KafkaDeserializers.json(TransactionSchema),
        // per partition, merged by minimum: a lagging partition holds event time back, an idle one does not
        watermarkStrategy: watermarks(),
        deadLetterTopic: `${input}-dlq`,
        ...(kafka.untilEnd ? { stoppingOffsets: 'latest' as const } : {}),
      }),
      undefined,
      'transactions',
    )
    .uid('transactions');
  const { alerts, late } = detectFraud(transactions);
  alerts
    .sinkTo(
      new KafkaSink<Alert>({
        bootstrapServers: kafka.bootstrapServers,
        serializer: KafkaSerializers.json({ topic: output, key: (a) => a.account }),
        ...(kafka.checkpoints === undefined
          ? { deliveryGuarantee: 'at-least-once' as const }
          : {
              deliveryGuarantee: 'exactly-once' as const,
              transactionalIdPrefix: `fraud-detection-${output}`,
            }),
      }),
    )
    .name('alerts')
    .uid('alerts');
  late.sinkTo(new PrintSink<Transaction>({ prefix: 'LATE', stderr: true })).name('late transactions');
}

function formatAlert(a: Alert): string {
  const at = new Date(a.timestamp).toISOString();
  return a.type === 'large-amount'
    ? `${at} large amount ${a.amount.toFixed(2)} on ${a.account} (${a.transactionId})`
    : `${at} ${a.count} transactions within a minute on ${a.account} (from ${new Date(a.windowStart).toISOString()}, ${a.transactionId})`;
}
