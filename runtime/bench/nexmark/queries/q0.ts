// q0 pass through: every bid, unchanged (measures the source and the framework).
import type { Bid } from '../../../src/connectors/nexmark/index.ts';
import { bids, type NexmarkQuery } from './query.ts';

export const q0: NexmarkQuery<Bid> = (events) => bids(events);
