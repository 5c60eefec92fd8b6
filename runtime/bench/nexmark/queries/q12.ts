// q12 processing-time windows: bids per bidder per 10 s tumbling window of processing time.
import { TumblingProcessingTimeWindows } from '../../../src/index.ts';
import { type BidsPerBidderRow, bidsPerBidderWindow } from './bids-per-bidder-window.ts';
import { TEN_SECONDS } from './query.ts';

export type Q12Row = BidsPerBidderRow;

export const q12 = bidsPerBidderWindow(TumblingProcessingTimeWindows.of(TEN_SECONDS));
