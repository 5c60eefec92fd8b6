// `riffle jobmanager [--host H] [--port 8081] [--heartbeat-timeout MS] [--job job.ts [--parallelism N]
//   [--job-id HEX32] [--max-parallelism N] [--from-savepoint PATH] [--allow-non-restored-state]
//   [--checkpoint-interval MS --checkpoint-storage URI] [--require-checkpoint] -- args...]`
// Starts a JobManager; with --job it runs that job in application mode (how the Kubernetes operator runs
// jobs). --checkpoint-* override the job's own checkpointing; --require-checkpoint refuses to start unless
// HA metadata (a completed checkpoint) of the job id is found, so a last-state upgrade never starts empty.
import { checkpointStorageFor } from '../checkpoint/checkpoint-storage-for.ts';
import { readHaMetadata } from '../checkpoint/ha-metadata.ts';
import { JobManager } from '../cluster/job-manager.ts';
import { JobManagerView } from '../cluster/job-manager-view.ts';
import type { JobSubmission } from '../cluster/job-submission.ts';
import { createMetricsHandler, createMetricsRegistry, JobManagerMetrics } from '../metrics/index.ts';
import { createRestHandler } from '../rest/index.ts';
import { CliArgs } from './cli-args.ts';
import { untilSignal } from './until-signal.ts';

export async function jobManagerCommand(argv: string[]): Promise<number> {
  const args = new CliArgs(argv, ['allow-non-restored-state', 'require-checkpoint']);
  const jm = new JobManager({
    host: args.string('host', '127.0.0.1'),
    port: args.int('port', 8081),
    heartbeatTimeoutMs: args.int('heartbeat-timeout', 10_000, 100),
    restHandler: (jobManager) => {
      const registry = createMetricsRegistry({ component: 'jobmanager' });
      const metrics = new JobManagerMetrics(registry);
      setInterval(() => {
        metrics.setTaskManagersRegistered(jobManager.taskManagers.size);
        metrics.setJobStates([...jobManager.jobs.values()].map((j) => j.state));
      }, 1000).unref();
      jobManager.metrics = metrics;
      return createRestHandler(new JobManagerView(jobManager), {
        metrics: createMetricsHandler(registry),
        onError: (e, r) =>
          process.stderr.write(`REST ${r.method} ${r.url} failed: ${(e as Error).message}\n`),
      });
    },
  });
  // Application mode: the job is submitted before the REST API listens, so whoever sees the JobManager
  // answer also finds the job (a restarted JobManager reads the HA metadata first).
  const jobModule = args.optionalString('job');
  if (jobModule !== undefined) {
    const parallelism = args.int('parallelism', 1, 1);
    // A fixed job id makes the job resumable: a restarted JobManager finds its checkpoints and HA metadata.
    const jobId = args.optionalString('job-id');
    if (jobId !== undefined && !/^[0-9a-f]{32}$/.test(jobId)) {
      throw new Error(`--job-id must be 32 lowercase hex characters (like Flink's job ids), got ${jobId}`);
    }
    const submission = jobSubmission(args, jobModule, parallelism);
    if (args.flag('require-checkpoint')) {
      const storage = submission.checkpointing?.storage;
      if (jobId === undefined || storage === undefined)
        throw new Error('--require-checkpoint needs --job-id and --checkpoint-storage');
      if ((await readHaMetadata(checkpointStorageFor(storage), jobId)) === undefined)
        throw new Error(
          `--require-checkpoint: no HA metadata of job ${jobId} in ${storage}, so no checkpoint to resume from; ` +
            'refusing to start from empty state (restore a savepoint with --from-savepoint instead)',
        );
    }
    await jm.submit(submission, jobId);
  }
  await jm.start();
  await untilSignal();
  await jm.stop();
  return 0;
}

function jobSubmission(args: CliArgs, jobModule: string, parallelism: number): JobSubmission {
  const maxParallelism = args.optionalString('max-parallelism');
  const savepointPath = args.optionalString('from-savepoint');
  const storage = args.optionalString('checkpoint-storage');
  const interval = args.optionalString('checkpoint-interval');
  if ((storage === undefined) !== (interval === undefined))
    throw new Error('--checkpoint-interval and --checkpoint-storage go together: give both or neither');
  return {
    jobModule,
    args: args.positional,
    parallelism,
    ...(maxParallelism === undefined ? {} : { maxParallelism: args.int('max-parallelism', 128, 1) }),
    ...(savepointPath === undefined ? {} : { savepointPath }),
    ...(args.flag('allow-non-restored-state') ? { allowNonRestoredState: true } : {}),
    ...(storage === undefined
      ? {}
      : { checkpointing: { intervalMs: args.int('checkpoint-interval', 0, 10), storage } }),
  };
}
