/** Counters every operator keeps; exported as metrics by the runtime. */
export class OperatorMetrics {
  numRecordsIn = 0;
  numRecordsOut = 0;
  numLateRecordsDropped = 0;
  numRecordsFailed = 0;
  currentInputWatermark = Number.NEGATIVE_INFINITY;
  currentOutputWatermark = Number.NEGATIVE_INFINITY;
}
