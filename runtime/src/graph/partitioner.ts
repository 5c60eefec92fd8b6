// How records of one edge are distributed over the downstream subtasks.
import type { KeySelector } from '../api/functions.ts';

export type Partitioner =
  | { readonly kind: 'forward' }
  | { readonly kind: 'rebalance' }
  | { readonly kind: 'broadcast' }
  | { readonly kind: 'global' }
  | { readonly kind: 'hash'; readonly keySelector: KeySelector<unknown, unknown> };

export function describePartitioner(p: Partitioner): string {
  return p.kind === 'hash' ? 'HASH' : p.kind.toUpperCase();
}
