// Drives a SourceReader directly in tests: polls until end of input, collecting records and dead letters.
import type { ReaderOutput, Source, SourceReader } from '../api/source.ts';
import { ManualProcessingTimeService, type ProcessingTimeService } from '../time/processing-time-service.ts';

export type Drained<T> = {
  values: T[];
  timestamps: (number | undefined)[];
  deadLetters: { record: unknown; where: string; error: string }[];
};

export function collectingOutput<T>(into: Drained<T>): ReaderOutput<T> {
  return {
    collect(value, timestamp) {
      into.values.push(value);
      into.timestamps.push(timestamp);
    },
    deadLetter(record, where, cause) {
      into.deadLetters.push({ record, where, error: cause instanceof Error ? cause.message : String(cause) });
    },
  };
}

export async function createReader<T>(
  source: Source<T>,
  subtaskIndex = 0,
  parallelism = 1,
  restored?: unknown[],
  clock: ProcessingTimeService = new ManualProcessingTimeService(),
): Promise<SourceReader<T>> {
  return source.createReader({ subtaskIndex, parallelism, operatorName: 'test-source', clock }, restored);
}

/** Polls until end of input (or `max` records), awaiting availability in between. */
export async function drain<T>(
  reader: SourceReader<T>,
  max = Number.POSITIVE_INFINITY,
  budget = 100,
): Promise<Drained<T>> {
  const out: Drained<T> = { values: [], timestamps: [], deadLetters: [] };
  const output = collectingOutput(out);
  for (;;) {
    const status = reader.pollNext(output, Math.min(budget, max - out.values.length));
    if (status === 'end-of-input' || out.values.length >= max) return out;
    if (status === 'nothing-available') await reader.isAvailable();
  }
}
