// q11 user sessions: bids per bidder per session (10 s of inactivity closes a session).
import { EventTimeSessionWindows } from '../../../src/index.ts';
import { type BidsPerBidderRow, bidsPerBidderWindow } from './bids-per-bidder-window.ts';
import { TEN_SECONDS } from './query.ts';

export type Q11Row = BidsPerBidderRow;

export const q11 = bidsPerBidderWindow(EventTimeSessionWindows.withGap(TEN_SECONDS));
