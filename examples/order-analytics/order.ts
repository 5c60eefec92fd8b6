// Orders and a deterministic generator: amounts mostly under $1,000, about one in eight above.
import { z } from 'zod';
import type { SeededRandom } from '../../runtime/src/index.ts';

export type Order = {
  readonly id: string;
  readonly customer: string;
  readonly amount: number;
  /** Event time, epoch ms. */
  readonly timestamp: number;
};

/** What an order read from Kafka must look like; others go to the dead-letter topic. */
export const OrderSchema = z.object({
  id: z.string().min(1),
  customer: z.string().min(1),
  amount: z.number().nonnegative(),
  timestamp: z.number().int(),
});

export const EPOCH = Date.UTC(2026, 10, 25, 9, 0, 0);

/** Order i happens at EPOCH + i * msPerOrder and may arrive up to 3 s early (out of order). */
export function generateOrder(i: number, rng: SeededRandom, msPerOrder: number): Order {
  const big = rng.next() < 0.125;
  return {
    id: `order-${i}`,
    customer: `customer-${rng.int(1, 50_000)}`,
    amount: big ? rng.int(100_001, 2_500_000) / 100 : rng.int(500, 100_000) / 100,
    timestamp: EPOCH + i * msPerOrder - rng.int(0, 3000),
  };
}
