// `riffle jobmanager [--host H] [--port 8081] [--heartbeat-timeout MS] [--job job.ts [--parallelism N] -- args...]`
// Starts a JobManager; with --job it runs that job in application mode.
import { basicRestHandler } from '../cluster/basic-rest-handler.ts';
import { JobManager } from '../cluster/job-manager.ts';
import { JobManagerView } from '../cluster/job-manager-view.ts';
import { CliArgs } from './cli-args.ts';
import { untilSignal } from './until-signal.ts';

export async function jobManagerCommand(argv: string[]): Promise<number> {
  const args = new CliArgs(argv);
  const jm = new JobManager({
    host: args.string('host', '127.0.0.1'),
    port: args.int('port', 8081),
    heartbeatTimeoutMs: args.int('heartbeat-timeout', 10_000, 100),
    restHandler: (jobManager) => basicRestHandler(new JobManagerView(jobManager)),
  });
  await jm.start();
  const jobModule = args.optionalString('job');
  if (jobModule !== undefined) {
    const parallelism = args.int('parallelism', 1, 1);
    await jm.submit({ jobModule, args: args.positional, parallelism });
  }
  await untilSignal();
  await jm.stop();
  return 0;
}
