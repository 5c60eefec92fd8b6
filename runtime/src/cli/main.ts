#!/usr/bin/env node
// The riffle command line.
import { runCommand } from './run-command.ts';

const USAGE = `usage: riffle <command>

commands:
  run [--parallelism N] [--max-parallelism M] <job.ts> [job args...]
      run a job module in the local engine (Ctrl-C cancels it cleanly)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(rest);
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
