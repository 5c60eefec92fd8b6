export type Alert =
  | {
      readonly type: 'large-amount';
      readonly account: string;
      readonly transactionId: string;
      readonly amount: number;
      readonly timestamp: number;
    }
  | {
      readonly type: 'high-frequency';
      readonly account: string;
      /** The transaction that made it more than 5 within one minute. */
      readonly transactionId: string;
      /** Transactions of the account in the minute ending at `timestamp`. */
      readonly count: number;
      readonly windowStart: number;
      readonly timestamp: number;
    };

export const LARGE_AMOUNT = 10_000;
export const MAX_TRANSACTIONS_PER_MINUTE = 5;
export const MINUTE = 60_000;
