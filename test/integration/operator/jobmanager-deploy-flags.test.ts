// The JobManager flags the operator deploys with: --checkpoint-interval/--checkpoint-storage override the
// job's own checkpointing, and --require-checkpoint refuses to start a job id without HA metadata (so a
// last-state upgrade can never start from empty state).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalCluster, waitFor } from '../cluster/local-cluster.ts';
import { getJson } from '../cluster/rest.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/exactly-once-count.ts');
const MAIN = resolve(import.meta.dirname, '../../../runtime/src/cli/main.ts');
const flags = suite('jobmanager deploy flags');

flags('--require-checkpoint without HA metadata exits with an error naming the job id', async () => {
  const cluster = new LocalCluster();
  const jobId = 'ab'.repeat(16);
  const child = spawn(
    process.execPath,
    [
      MAIN,
      'jobmanager',
      '--port',
      '0',
      '--job',
      JOB,
      '--job-id',
      jobId,
      '--checkpoint-interval',
      '100',
      '--checkpoint-storage',
      join(cluster.dir, 'chk'),
      '--require-checkpoint',
      '--',
      join(cluster.dir, 'out'),
      join(cluster.dir, 'own'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  assert.is.not(code, 0);
  assert.match(output, `no HA metadata of job ${jobId}`);
  assert.match(output, 'refusing to start from empty state');
});

flags('--checkpoint-storage overrides the storage the job configured', async () => {
  const cluster = new LocalCluster();
  const jobId = 'cd'.repeat(16);
  const storage = join(cluster.dir, 'operator-checkpoints');
  const own = join(cluster.dir, 'job-checkpoints');
  try {
    await cluster.startJobManager({
      args: [
        '--job',
        JOB,
        '--job-id',
        jobId,
        '--parallelism',
        '1',
        '--checkpoint-interval',
        '100',
        '--checkpoint-storage',
        storage,
        '--',
        join(cluster.dir, 'out'),
        own,
        '1000000',
        '500',
      ],
    });
    cluster.startTaskManager('tm-1', 1);
    await waitFor(
      async () =>
        (
          await getJson<{ counts: { completed: number } }>(
            `${cluster.jobManagerUrl}/jobs/${jobId}/checkpoints`,
          )
        ).counts.completed >= 2,
      30_000,
      () => cluster.logs(),
    );
    assert.ok(readdirSync(join(storage, jobId)).some((f) => f.startsWith('chk-')));
    assert.ok(existsSync(join(storage, jobId, 'ha-metadata.json')));
    assert.not.ok(existsSync(join(own, jobId)), "nothing in the job's own storage");
  } finally {
    await cluster.stop();
  }
});

flags.run();
