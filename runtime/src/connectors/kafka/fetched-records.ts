// Turns the record batches of one partition's fetch response into the records a read_committed reader may
// emit (pure). Control batches (commit/abort markers) are never records; a transactional batch is skipped
// when its producer's transaction was aborted: from the aborted transaction's first offset up to the
// producer's abort marker, or to the end of this response when the marker is not in it (the next fetch,
// starting after these offsets, names the transaction again). This is what Kafka's Java consumer does.

/** The parts of a Kafka record batch this needs (the client's RecordsBatch has more). */
export type FetchedBatch = {
  readonly firstOffset: bigint;
  readonly lastOffsetDelta: number;
  readonly firstTimestamp: bigint;
  readonly maxTimestamp: bigint;
  readonly attributes: number;
  readonly producerId: bigint;
  readonly records: readonly {
    readonly offsetDelta: number;
    readonly timestampDelta: bigint;
    readonly key: Buffer | null;
    readonly value: Buffer | null;
    readonly headers: readonly [Buffer | null, Buffer | null][];
  }[];
};

export type AbortedTransaction = { readonly producerId: bigint; readonly firstOffset: bigint };

export type FetchedRecord = {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly [Buffer | null, Buffer | null][];
};

export const IS_TRANSACTIONAL = 1 << 4;
export const IS_CONTROL = 1 << 5;
/** The broker set the time (topic with message.timestamp.type=LogAppendTime): maxTimestamp is every record's. */
export const LOG_APPEND_TIME = 1 << 3;

/** A control record's key is (version int16, type int16); type 0 is ABORT, 1 is COMMIT. */
function isAbortMarker(batch: FetchedBatch): boolean {
  const key = batch.records[0]?.key;
  return key != null && key.length >= 4 && key.readInt16BE(2) === 0;
}

export type FetchedPartition = {
  /** Records at or after `fromOffset`, in offset order, without aborted or control records. */
  readonly records: FetchedRecord[];
  /** Where the next fetch starts: after the last batch, or `fromOffset` when there was none. */
  readonly nextOffset: number;
};

export function committedRecords(
  batches: readonly FetchedBatch[],
  aborted: readonly AbortedTransaction[] | null,
  fromOffset: number,
): FetchedPartition {
  // producer id -> first offset of its aborted transaction that is still open in this response
  const pending = [...(aborted ?? [])].sort((a, b) => Number(a.firstOffset - b.firstOffset));
  const abortedNow = new Map<bigint, bigint>();
  const records: FetchedRecord[] = [];
  let nextOffset = fromOffset;
  for (const batch of batches) {
    const first = batch.firstOffset;
    const last = first + BigInt(batch.lastOffsetDelta);
    while (pending.length > 0 && pending[0]!.firstOffset <= last) {
      const a = pending.shift()!;
      abortedNow.set(a.producerId, a.firstOffset);
    }
    nextOffset = Math.max(nextOffset, Number(last) + 1);
    if ((batch.attributes & IS_CONTROL) !== 0) {
      if (isAbortMarker(batch)) abortedNow.delete(batch.producerId);
      continue;
    }
    if ((batch.attributes & IS_TRANSACTIONAL) !== 0) {
      const abortedFrom = abortedNow.get(batch.producerId);
      if (abortedFrom !== undefined && abortedFrom <= first) continue;
    }
    const logAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
    for (const r of batch.records) {
      const offset = Number(first) + r.offsetDelta;
      if (offset < fromOffset) continue;
      records.push({
        offset,
        timestamp: Number(logAppendTime ? batch.maxTimestamp : batch.firstTimestamp + r.timestampDelta),
        key: r.key,
        value: r.value,
        headers: r.headers,
      });
    }
  }
  return { records, nextOffset };
}
