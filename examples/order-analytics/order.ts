// Orders and a deterministic generator: amounts mostly under $1,000, about one in eight above.
import type { SeededRandom } from '../../runtime/src/index.ts';

export type Order = {
  readonly id: string;
  readonly customer: string;
  readonly amount: number;
  /** Event time, epoch ms. */
  readonly timestamp: number;
};

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
