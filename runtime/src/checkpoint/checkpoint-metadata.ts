// The _metadata of a completed checkpoint or savepoint: which state files it has, per operator uid, and
// the parallelism and maxParallelism they were written at. Self-contained: state paths are relative.

export type CheckpointMetadata = {
  /** 2: state encoded in msgpackr records mode (Maps stay Maps). Version 1 is refused. */
  readonly version: 2;
  readonly jobId: string;
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly savepoint: boolean;
  readonly operators: Record<string, { parallelism: number; maxParallelism: number; subtasks: string[] }>;
  /** Older checkpoints whose files this one's incremental state builds on (they are kept while it is). */
  readonly references?: number[];
};

export const METADATA = '_metadata';

export function checkpointDir(jobId: string, checkpointId: number): string {
  return `${jobId}/chk-${checkpointId}`;
}

export function parseMetadata(bytes: Uint8Array, where: string): CheckpointMetadata {
  let parsed: CheckpointMetadata;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as CheckpointMetadata;
  } catch (e) {
    throw new Error(`checkpoint metadata ${where} is corrupt: ${(e as Error).message}`);
  }
  if ((parsed.version as number) === 1) {
    throw new Error(
      `checkpoint metadata ${where} is version 1, written by an earlier Riffle whose state encoding turned ` +
        'Map values into objects; it cannot be restored faithfully. Start the job without it or from a newer savepoint',
    );
  }
  if (parsed.version !== 2 || typeof parsed.operators !== 'object') {
    throw new Error(`checkpoint metadata ${where} has an unknown format (version ${String(parsed.version)})`);
  }
  return parsed;
}
