// Picks checkpoint storage by URI: s3://bucket/prefix for S3 and S3-compatible servers, anything else
// (file:// URI or path) for the local filesystem.
import { fileURLToPath } from 'node:url';
import type { CheckpointStorage } from './checkpoint-storage.ts';
import { FileCheckpointStorage } from './file-checkpoint-storage.ts';
import { S3CheckpointStorage } from './s3-checkpoint-storage.ts';

export function checkpointStorageFor(uri: string): CheckpointStorage {
  return uri.startsWith('s3://') ? new S3CheckpointStorage(uri) : new FileCheckpointStorage(uri);
}

/** A location users can pass back (a filesystem path for file://, the URI otherwise). */
export function displayLocation(uri: string): string {
  return uri.startsWith('file://') ? fileURLToPath(uri) : uri;
}
