#!/usr/bin/env node
// The riffle command line.
import { cancelJob, listJobs } from './cluster-client-commands.ts';
import { clusterCommand } from './cluster-command.ts';
import { jobManagerCommand } from './jobmanager-command.ts';
import { runCommand } from './run-command.ts';
import { taskManagerCommand } from './taskmanager-command.ts';

const USAGE = `usage: riffle <command>

commands:
  run [--parallelism N] [--max-parallelism M] [--from-savepoint PATH [--allow-non-restored-state]] <job.ts> [job args...]
      run a job module in the local engine (Ctrl-C cancels it cleanly)
  run --jobmanager URL [--parallelism N] [--from-savepoint PATH] [--detached] <job.ts> [job args...]
      submit a job to a cluster and follow it until it runs
  list [--jobmanager URL]
      list the cluster's jobs
  cancel [--jobmanager URL] <job id>
      cancel a job
  cluster start [--taskmanagers N] [--slots S] [--port 8081]
      start a local cluster of real processes: one JobManager, N TaskManagers
  jobmanager [--port 8081] [--heartbeat-timeout MS] [--job job.ts [--job-id ID] [--parallelism N] -- args...]
      start a JobManager (with --job: application mode)
  taskmanager --jobmanager URL [--slots S]
      start a TaskManager that registers with the JobManager at URL

environment:
  RIFFLE_STATE_BACKEND=hashmap|lmdb   where keyed state lives (default hashmap: on the heap)
  RIFFLE_LOG_LEVEL=debug|info|warn    RIFFLE_LOG_FORMAT=json|pretty
  AWS_ENDPOINT_URL_S3, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   for s3:// checkpoints
`;

/** The usage lines of one command (its synopses and their descriptions). */
function usageOf(command: string): string {
  const lines = USAGE.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.startsWith(`  ${command} `) || lines[i] === `  ${command}`)
      out.push(lines[i]!, lines[i + 1] ?? '');
  }
  return out.length === 0 ? USAGE : `usage: riffle\n${out.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (command !== undefined && (options.includes('--help') || options.includes('-h'))) {
    process.stdout.write(usageOf(command));
    return 0;
  }
  switch (command) {
    case 'run':
      return runCommand(rest);
    case 'list':
      return listJobs(rest);
    case 'cancel':
      return cancelJob(rest);
    case 'cluster':
      return clusterCommand(rest);
    case 'jobmanager':
      return jobManagerCommand(rest);
    case 'taskmanager':
      return taskManagerCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`riffle: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`riffle: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
