// Where checkpoints live. Paths are relative to the storage's base URI; the layout is
// <base>/<jobId>/chk-<n>/<uid>/<subtask> and <base>/<jobId>/chk-<n>/_metadata (written last: a checkpoint
// without _metadata is incomplete and never used). See docs/checkpoints.md.

export interface CheckpointStorage {
  /** The base URI, e.g. file:///var/riffle/checkpoints or s3://bucket/prefix. */
  readonly uri: string;
  write(path: string, bytes: Uint8Array): Promise<void>;
  read(path: string): Promise<Uint8Array>;
  exists(path: string): Promise<boolean>;
  /** Paths directly below `prefix` (one level), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Deletes everything below `prefix`. */
  remove(prefix: string): Promise<void>;
}
