// Loads a job module: a TypeScript/JavaScript module whose default export (or `job` export) builds the
// pipeline from (environment, arguments). The same module runs unchanged locally and on a cluster.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StreamExecutionEnvironment } from '../api/execution-environment.ts';

export type JobFunction = (env: StreamExecutionEnvironment, args: string[]) => void | Promise<void>;

export async function loadJobModule(path: string): Promise<JobFunction> {
  const url = pathToFileURL(resolve(path)).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot load job module ${path}: ${(e as Error).message}`, { cause: e });
  }
  const fn = mod.default ?? mod.job;
  if (typeof fn !== 'function') {
    throw new Error(
      `job module ${path} must export a function building the pipeline: ` +
        '`export default function (env, args) { env.fromSource(...)...sinkTo(...) }`',
    );
  }
  return fn as JobFunction;
}
