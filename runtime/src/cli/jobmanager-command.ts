// `riffle jobmanager [--host H] [--port 8081] [--heartbeat-timeout MS] [--job job.ts [--parallelism N] -- args...]`
// Starts a JobManager; with --job it runs that job in application mode.
import { JobManager } from '../cluster/job-manager.ts';
import { JobManagerView } from '../cluster/job-manager-view.ts';
import { createMetricsHandler, createMetricsRegistry, JobManagerMetrics } from '../metrics/index.ts';
import { createRestHandler } from '../rest/index.ts';
import { CliArgs } from './cli-args.ts';
import { untilSignal } from './until-signal.ts';

export async function jobManagerCommand(argv: string[]): Promise<number> {
  const args = new CliArgs(argv);
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
  await jm.start();
  const jobModule = args.optionalString('job');
  if (jobModule !== undefined) {
    const parallelism = args.int('parallelism', 1, 1);
    // A fixed job id makes the job resumable: a restarted JobManager finds its checkpoints and HA metadata.
    const jobId = args.optionalString('job-id');
    if (jobId !== undefined && !/^[0-9a-f]{32}$/.test(jobId)) {
      throw new Error(`--job-id must be 32 lowercase hex characters (like Flink's job ids), got ${jobId}`);
    }
    await jm.submit({ jobModule, args: args.positional, parallelism }, jobId);
  }
  await untilSignal();
  await jm.stop();
  return 0;
}
