// Reads a completed checkpoint or savepoint: its metadata and every operator's subtask states. A checkpoint
// whose metadata or state files are missing or corrupt is refused with the file named; findLatest falls
// back to the previous complete checkpoint with a warning, and never silently to empty state.

import { type CheckpointMetadata, METADATA, parseMetadata } from './checkpoint-metadata.ts';
import type { CheckpointStorage } from './checkpoint-storage.ts';
import { checkpointStorageFor } from './checkpoint-storage-for.ts';
import { materializeIncrementalState } from './incremental-state.ts';
import { decodeState } from './state-encoding.ts';
import type { OperatorSubtaskState } from './task-snapshot.ts';

export type LoadedCheckpoint = {
  readonly metadata: CheckpointMetadata;
  readonly path: string;
  readonly states: Map<string, OperatorSubtaskState[]>;
};

export async function loadCheckpoint(storage: CheckpointStorage, dir: string): Promise<LoadedCheckpoint> {
  const where = `${storage.uri}/${dir}`;
  if (!(await storage.exists(`${dir}/${METADATA}`))) {
    throw new Error(`${where} is not a complete checkpoint or savepoint: it has no ${METADATA} file`);
  }
  const metadata = parseMetadata(await storage.read(`${dir}/${METADATA}`), `${where}/${METADATA}`);
  const states = new Map<string, OperatorSubtaskState[]>();
  for (const [uid, op] of Object.entries(metadata.operators)) {
    const list: OperatorSubtaskState[] = [];
    for (const file of op.subtasks) {
      let bytes: Uint8Array;
      try {
        bytes = await storage.read(`${dir}/${file}`);
      } catch {
        throw new Error(`checkpoint ${where} misses the state file ${file} of operator "${uid}"`);
      }
      let state: OperatorSubtaskState;
      try {
        state = decodeState<OperatorSubtaskState>(bytes);
      } catch (e) {
        throw new Error(
          `checkpoint ${where}: state file ${file} of operator "${uid}" is corrupt: ${(e as Error).message}`,
        );
      }
      try {
        list.push(await materializeIncrementalState(state, jobDirectoryReader(storage, dir)));
      } catch (e) {
        throw new Error(`checkpoint ${where}: ${(e as Error).message}`);
      }
    }
    states.set(uid, list);
  }
  return { metadata, path: where, states };
}

/**
 * Reads paths relative to the job's checkpoint directory, the parent of checkpoint `dir` (where the files
 * incremental state builds on live). A checkpoint opened by its own path ('.') gets its parent's storage.
 */
function jobDirectoryReader(storage: CheckpointStorage, dir: string): (path: string) => Promise<Uint8Array> {
  if (dir !== '.' && dir.includes('/')) {
    const jobDir = dir.slice(0, dir.lastIndexOf('/'));
    return (path) => storage.read(`${jobDir}/${path}`);
  }
  let parent: CheckpointStorage | undefined;
  return (path) => {
    parent ??= checkpointStorageFor(storage.uri.replace(/\/+$/, '').replace(/\/[^/]*$/, ''));
    return parent.read(path);
  };
}

/** The newest loadable checkpoint of a job; broken ones are skipped with a warning. */
export async function findLatestCheckpoint(
  storage: CheckpointStorage,
  jobId: string,
  warn: (message: string) => void,
): Promise<LoadedCheckpoint | undefined> {
  const ids = (await storage.list(jobId))
    .map((n) => /^chk-(\d+)$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
  for (const id of ids) {
    try {
      return await loadCheckpoint(storage, `${jobId}/chk-${id}`);
    } catch (e) {
      warn(`skipping checkpoint ${id}: ${(e as Error).message}; falling back to the previous one`);
    }
  }
  return undefined;
}
