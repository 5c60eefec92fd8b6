/** Reads `--name N` from a job's arguments: a positive number, or the fallback when absent. */
export function positiveNumberArg(
  job: string,
  args: readonly string[],
  name: string,
  fallback: number,
): number {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${job}: ${name} needs a positive number, got ${args[i + 1]}`);
  return n;
}
