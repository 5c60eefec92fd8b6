// Commands that talk to a running JobManager over its REST API: submit (with a progress display while the
// job deploys), list and cancel.
import { resolve } from 'node:path';
import { CliArgs } from './cli-args.ts';

type JobDetails = {
  jid: string;
  name: string;
  state: string;
  'waiting-reason'?: string | null;
  vertices: { name: string; parallelism: number; tasks: Record<string, number> }[];
};

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  }).catch((e: Error) => {
    throw new Error(
      `cannot reach the JobManager at ${new URL(url).origin}: ${e.message}; is it running (riffle cluster start)?`,
    );
  });
  const text = await res.text();
  const parsed = text.length > 0 ? (JSON.parse(text) as T & { errors?: string[] }) : (undefined as T);
  if (!res.ok)
    throw new Error(
      `${method} ${new URL(url).pathname} failed (${res.status}): ${(parsed as { errors?: string[] })?.errors?.join('; ') ?? text}`,
    );
  return parsed;
}

/** `riffle run --jobmanager URL [--parallelism N] [--detached] job.ts [args]` */
export async function submitToCluster(jobManager: string, argv: string[]): Promise<number> {
  const args = new CliArgs(argv, ['detached', 'allow-non-restored-state']);
  const [jobModule, ...jobArgs] = args.positional;
  if (jobModule === undefined) throw new Error('riffle run --jobmanager URL: missing the job module');
  const { jobid } = await call<{ jobid: string }>('POST', `${jobManager}/jobs`, {
    jobModule: resolve(jobModule),
    args: jobArgs,
    parallelism: args.int('parallelism', 1, 1),
    ...(args.optionalString('from-savepoint') === undefined
      ? {}
      : { savepointPath: resolve(args.string('from-savepoint')) }),
    ...(args.flag('allow-non-restored-state') ? { allowNonRestoredState: true } : {}),
  });
  process.stdout.write(`Job ${jobid} submitted to ${jobManager}\n`);
  if (args.flag('detached')) return 0;
  let last = '';
  for (;;) {
    const job = await call<JobDetails>('GET', `${jobManager}/jobs/${jobid}`);
    const line = progressLine(job);
    if (line !== last) {
      process.stdout.write(`${line}\n`);
      last = line;
    }
    if (['FINISHED', 'FAILED', 'CANCELED'].includes(job.state)) return job.state === 'FINISHED' ? 0 : 1;
    if (
      job.state === 'RUNNING' &&
      job.vertices.every((v) => (v.tasks.RUNNING ?? 0) + (v.tasks.FINISHED ?? 0) === v.parallelism)
    ) {
      process.stdout.write(
        `Job ${jobid} is running; follow it with riffle list --jobmanager ${jobManager}\n`,
      );
      return 0;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function progressLine(job: JobDetails): string {
  const parts = job.vertices.map((v) => {
    const running = (v.tasks.RUNNING ?? 0) + (v.tasks.FINISHED ?? 0);
    return `${v.name} ${running}/${v.parallelism}`;
  });
  const waiting = job['waiting-reason'] ? ` — ${job['waiting-reason']}` : '';
  return `[${job.state}] ${parts.join(' | ')}${waiting}`;
}

/** `riffle list --jobmanager URL` */
export async function listJobs(argv: string[]): Promise<number> {
  const jm = new CliArgs(argv).string(
    'jobmanager',
    process.env.RIFFLE_JOBMANAGER_URL ?? 'http://127.0.0.1:8081',
  );
  const { jobs } = await call<{ jobs: { jid: string; name: string; state: string; duration: number }[] }>(
    'GET',
    `${jm}/jobs/overview`,
  );
  if (jobs.length === 0) process.stdout.write('No jobs.\n');
  for (const j of jobs)
    process.stdout.write(
      `${j.jid}  ${j.state.padEnd(10)}  ${(j.duration / 1000).toFixed(0).padStart(6)} s  ${j.name}\n`,
    );
  return 0;
}

/** `riffle cancel --jobmanager URL JOB_ID` */
export async function cancelJob(argv: string[]): Promise<number> {
  const args = new CliArgs(argv);
  const jm = args.string('jobmanager', process.env.RIFFLE_JOBMANAGER_URL ?? 'http://127.0.0.1:8081');
  const id = args.positional[0];
  if (id === undefined) throw new Error('riffle cancel: give the job id (riffle list shows it)');
  await call('PATCH', `${jm}/jobs/${id}?mode=cancel`);
  process.stdout.write(`Cancelled job ${id}\n`);
  return 0;
}
