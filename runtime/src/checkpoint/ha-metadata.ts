// JobManager high availability: beside a job's checkpoints the JobManager records the newest completed
// checkpoint. A restarted JobManager with the same job id reads it, restores from that checkpoint (or a
// newer one), and refuses to start from empty state when the checkpoint it recorded cannot be loaded.
import type { CheckpointStorage } from './checkpoint-storage.ts';

export type HaMetadata = {
  readonly jobId: string;
  readonly latestCheckpoint: number;
  readonly updatedAt: number;
};

const FILE = 'ha-metadata.json';

export async function writeHaMetadata(storage: CheckpointStorage, meta: HaMetadata): Promise<void> {
  await storage.write(`${meta.jobId}/${FILE}`, Buffer.from(JSON.stringify(meta)));
}

export async function readHaMetadata(
  storage: CheckpointStorage,
  jobId: string,
): Promise<HaMetadata | undefined> {
  if (!(await storage.exists(`${jobId}/${FILE}`))) return undefined;
  const meta = JSON.parse(Buffer.from(await storage.read(`${jobId}/${FILE}`)).toString('utf8')) as HaMetadata;
  if (meta.jobId !== jobId || !Number.isInteger(meta.latestCheckpoint)) {
    throw new Error(`HA metadata of job ${jobId} in ${storage.uri} is corrupt; inspect ${jobId}/${FILE}`);
  }
  return meta;
}
