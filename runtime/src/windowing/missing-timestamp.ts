export function missingTimestamp(assigner: string): Error {
  return new Error(
    `${assigner} needs event timestamps, but the record has none. Assign them with ` +
      'env.fromSource(source, WatermarkStrategy...) or stream.assignTimestampsAndWatermarks(strategy), ' +
      'or use processing-time windows',
  );
}
