// `riffle taskmanager --jobmanager URL [--slots S] [--host H] [--port P] [--heartbeat-interval MS]`
import { TaskManager } from '../cluster/task-manager.ts';
import { CliArgs } from './cli-args.ts';
import { untilSignal } from './until-signal.ts';

export async function taskManagerCommand(argv: string[]): Promise<number> {
  const args = new CliArgs(argv);
  const tm = new TaskManager({
    jobManagerUrl: args.string('jobmanager', process.env.RIFFLE_JOBMANAGER_URL ?? 'http://127.0.0.1:8081'),
    slots: args.int('slots', 1, 1),
    host: args.string('host', '127.0.0.1'),
    port: args.int('port', 0),
    heartbeatIntervalMs: args.int('heartbeat-interval', 1000, 10),
    ...(args.optionalString('id') === undefined ? {} : { taskManagerId: args.string('id') }),
  });
  await tm.start();
  await untilSignal();
  await tm.stop();
  return 0;
}
