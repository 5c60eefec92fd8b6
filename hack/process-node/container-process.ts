// Starting a container's program: `setpriv --pdeathsig KILL` (where the kernel honours it, the program
// dies with the node agent even on SIGKILL; this machine's does not, so the preload also exits when its
// parent agent is gone, and `hack/process-node.sh` reaps what the pid file lists), in its own process group (signals go to the whole group), and,
// when the container has volume mounts, inside a private mount namespace (`unshare --mount`) where the
// pod's volume directories are bind-mounted at their mountPaths; stdout and stderr go to the log file.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Bind } from './pod-sandbox.ts';

const BIND_SCRIPT =
  'while [ "$1" != "--" ]; do mount --bind "$1" "$2" || exit 127; shift 2; done; shift; exec "$@"';

export type ProcessSpec = {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly binds: readonly Bind[];
};

function ensureMountPoint(b: Bind): void {
  const isFile = statSync(b.source).isFile();
  if (isFile) {
    mkdirSync(dirname(b.target), { recursive: true });
    try {
      statSync(b.target);
    } catch {
      writeFileSync(b.target, '');
    }
  } else {
    mkdirSync(b.target, { recursive: true });
  }
}

export function wrappedArgv(spec: ProcessSpec): string[] {
  const prefix = ['--pdeathsig', 'KILL'];
  if (spec.binds.length === 0) return [...prefix, '--', ...spec.argv];
  const pairs = spec.binds.flatMap((b) => [b.source, b.target]);
  return [
    ...prefix,
    '--',
    'unshare',
    '--mount',
    '--propagation',
    'private',
    'sh',
    '-c',
    BIND_SCRIPT,
    'sh',
    ...pairs,
    '--',
    ...spec.argv,
  ];
}

/** Starts the program detached (own process group) with its output appended to logFile. */
export function startProcess(spec: ProcessSpec, logFile: string): ChildProcess {
  for (const b of spec.binds) ensureMountPoint(b);
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  try {
    return spawn('setpriv', wrappedArgv(spec), {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
}

/** Signals the process group of a started program; false if it is gone. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command to completion (exec probes); resolves with its exit code, 1 on timeout. */
export function runToCompletion(spec: ProcessSpec, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('setpriv', wrappedArgv(spec), {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: 'ignore',
    });
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), timeoutMs);
    child.on('error', () => resolve(127));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}
