// `riffle run [options] <job.ts> [job args...]`: runs a job in the local engine until its bounded inputs end,
// or until Ctrl-C, which cancels the job cleanly (sources stop, sinks flush and close).
import { StreamExecutionEnvironment } from '../api/execution-environment.ts';
import { submitToCluster } from './cluster-client-commands.ts';
import { loadJobModule } from './job-module.ts';

export type RunOptions = {
  parallelism?: number;
  maxParallelism?: number;
  fromSavepoint?: string;
  allowNonRestoredState?: boolean;
};

export function parseRunArgs(argv: string[]): { options: RunOptions; jobPath: string; jobArgs: string[] } {
  const options: RunOptions = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--parallelism' || a === '-p') options.parallelism = intArg(a, argv[++i]);
    else if (a === '--max-parallelism') options.maxParallelism = intArg(a, argv[++i]);
    else if (a === '--from-savepoint' || a === '-s') {
      const path = argv[++i];
      if (path === undefined) throw new Error(`riffle run: ${a} needs the savepoint or checkpoint directory`);
      options.fromSavepoint = path;
    } else if (a === '--allow-non-restored-state') options.allowNonRestoredState = true;
    else if (a.startsWith('-'))
      throw new Error(`riffle run: unknown option ${a}; options go before the job path`);
    else break;
  }
  const jobPath = argv[i];
  if (jobPath === undefined)
    throw new Error('riffle run: missing the job module, e.g. riffle run examples/fraud-detection/job.ts');
  return { options, jobPath, jobArgs: argv.slice(i + 1) };
}

function intArg(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`riffle run: ${flag} needs a positive integer, got ${value}`);
  return n;
}

export async function runCommand(argv: string[]): Promise<number> {
  const jm = argv.indexOf('--jobmanager');
  if (jm !== -1) {
    const url = argv[jm + 1];
    if (url === undefined)
      throw new Error('riffle run: --jobmanager needs the JobManager URL, e.g. http://127.0.0.1:8081');
    return submitToCluster(url, [...argv.slice(0, jm), ...argv.slice(jm + 2)]);
  }
  const { options, jobPath, jobArgs } = parseRunArgs(argv);
  const build = await loadJobModule(jobPath);
  const env = StreamExecutionEnvironment.getExecutionEnvironment({
    ...(options.parallelism === undefined ? {} : { parallelism: options.parallelism }),
    ...(options.maxParallelism === undefined ? {} : { maxParallelism: options.maxParallelism }),
  });
  await build(env, jobArgs);
  const client = env.executeAsync(jobPath, {
    ...(options.fromSavepoint === undefined ? {} : { fromCheckpoint: options.fromSavepoint }),
    ...(options.allowNonRestoredState === undefined
      ? {}
      : { allowNonRestoredState: options.allowNonRestoredState }),
  });
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\nriffle: cancelling the job (Ctrl-C again to exit at once)\n');
    void client.cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await client.result;
    process.stderr.write(
      `riffle: job ${result.status.toLowerCase()} after ${(result.netRuntimeMs / 1000).toFixed(1)} s\n`,
    );
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
