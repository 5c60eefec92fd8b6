// The fraud-detection dataflow, independent of where transactions come from and where alerts go.
import { type DataStream, Time, WatermarkStrategy } from '../../runtime/src/index.ts';
import { type Alert, LARGE_AMOUNT } from './alert.ts';
import { highFrequencyDetector, LATE_TRANSACTIONS } from './high-frequency-detector.ts';
import type { Transaction } from './transaction.ts';

export const OUT_OF_ORDERNESS = Time.seconds(5);

export function watermarks(perEvent = false): WatermarkStrategy<Transaction> {
  const strategy = perEvent
    ? WatermarkStrategy.forBoundedOutOfOrdernessPerEvent<Transaction>(OUT_OF_ORDERNESS)
    : WatermarkStrategy.forBoundedOutOfOrderness<Transaction>(OUT_OF_ORDERNESS);
  return strategy.withTimestampAssigner((tx) => tx.timestamp).withIdleness(Time.seconds(30));
}

export type FraudDetection = {
  readonly alerts: DataStream<Alert>;
  /** Transactions too late (beyond the 5 s bound) for the high-frequency rule; still checked for amount. */
  readonly late: DataStream<Transaction>;
};

/** Alerts for transactions that already carry event timestamps and watermarks. */
export function detectFraud(transactions: DataStream<Transaction>): FraudDetection {
  const large = transactions
    .filter((tx) => tx.amount > LARGE_AMOUNT)
    .name('Large amounts')
    .map(
      (tx): Alert => ({
        type: 'large-amount',
        account: tx.account,
        transactionId: tx.id,
        amount: tx.amount,
        timestamp: tx.timestamp,
      }),
    )
    .name('Large-amount alert');
  const frequent = transactions
    .keyBy((tx) => tx.account)
    .process(highFrequencyDetector)
    .name('High-frequency detector')
    .uid('high-frequency-detector');
  return { alerts: large.union(frequent), late: frequent.getSideOutput(LATE_TRANSACTIONS) };
}
