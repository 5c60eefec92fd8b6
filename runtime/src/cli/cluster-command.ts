// `riffle cluster start [--taskmanagers N] [--slots S] [--port 8081]`: a local cluster of real processes,
// one JobManager and N TaskManagers, in the foreground; Ctrl-C stops them all.
import { type ChildProcess, spawn } from 'node:child_process';
import { CliArgs } from './cli-args.ts';
import { untilSignal } from './until-signal.ts';

const MAIN = new URL('./main.ts', import.meta.url).pathname;

export async function clusterCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'start')
    throw new Error('usage: riffle cluster start [--taskmanagers N] [--slots S] [--port 8081]');
  const args = new CliArgs(rest);
  const port = args.int('port', 8081, 1);
  const host = args.string('host', '127.0.0.1');
  const url = `http://${host}:${port}`;
  const children: ChildProcess[] = [];
  const start = (name: string, cmd: string[]) => {
    const child = spawn(process.execPath, [MAIN, ...cmd], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`riffle cluster: ${name} exited (${signal ?? code})\n`);
    });
    children.push(child);
  };
  let stopping = false;
  start('jobmanager', ['jobmanager', '--host', host, '--port', String(port)]);
  const tms = args.int('taskmanagers', 1, 1);
  for (let i = 0; i < tms; i++) {
    start(`taskmanager ${i + 1}`, [
      'taskmanager',
      '--jobmanager',
      url,
      '--slots',
      String(args.int('slots', 1, 1)),
      '--host',
      host,
    ]);
  }
  process.stderr.write(
    `riffle cluster: JobManager at ${url} with ${tms} TaskManager(s); Ctrl-C stops the cluster\n`,
  );
  await untilSignal();
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
  return 0;
}
