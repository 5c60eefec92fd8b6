// Card transactions and a deterministic generator of realistic ones: a million ordinary accounts with small
// amounts, an occasional large amount, and five compromised accounts that burst every two minutes.
import { z } from 'zod';
import type { SeededRandom } from '../../runtime/src/index.ts';

export type Transaction = {
  readonly id: string;
  readonly account: string;
  readonly amount: number;
  readonly currency: string;
  /** Event time, epoch ms. */
  readonly timestamp: number;
};

/** What a transaction read from Kafka must look like; others go to the dead-letter topic. */
export const TransactionSchema = z.object({
  id: z.string().min(1),
  account: z.string().min(1),
  amount: z.number().nonnegative(),
  currency: z.string().length(3),
  timestamp: z.number().int(),
});

export const EPOCH = Date.UTC(2026, 10, 25, 9, 0, 0);
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF'] as const;

/**
 * Transaction i happens at EPOCH + i * msPerTransaction, up to 3 s earlier (arrival out of order).
 * Compromised accounts make one transaction in 25 during the first 30 s of every 2 minutes.
 */
export function generateTransaction(i: number, rng: SeededRandom, msPerTransaction: number): Transaction {
  const time = EPOCH + i * msPerTransaction;
  const bursting = (time - EPOCH) % 120_000 < 30_000;
  const account =
    bursting && i % 25 === 0 ? `acct-99${90 + ((i / 25) % 5)}` : `acct-${rng.int(1_000_000, 1_999_999)}`;
  const large = rng.next() < 0.0005;
  const amount = large ? rng.int(10_001, 50_000) : rng.int(100, 50_000) / 100;
  return {
    id: `tx-${i}`,
    account,
    amount,
    currency: rng.pick(CURRENCIES),
    timestamp: time - rng.int(0, 3000),
  };
}
