// Turns zod issues into messages a person can act on: which field of which part of the request, what is
// wrong, and how to fix it (including "did you mean" for misspelled keys, e.g. Flink's kebab-case
// target-directory against the camelCase targetDirectory of /stop).
import type { z } from 'zod';

export type RequestPart = 'request body' | 'query parameter' | 'path parameter' | 'response';

export function describeIssues(
  part: RequestPart,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  knownKeys: readonly string[] = [],
): string[] {
  return issues.flatMap((issue) => describeIssue(part, issue, input, knownKeys));
}

function describeIssue(
  part: RequestPart,
  issue: z.core.$ZodIssue,
  input: unknown,
  knownKeys: readonly string[],
): string[] {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const parent = field === '' ? '' : ` in "${field}"`;
    const known = field === '' ? knownKeys : [];
    return issue.keys.map((key) => {
      const suggestion = closest(key, known);
      const hint =
        suggestion !== undefined
          ? `; did you mean "${suggestion}"?`
          : known.length > 0
            ? `; known fields are ${known.map((k) => `"${k}"`).join(', ')}`
            : '';
      return `${part}: unknown field "${key}"${parent}${hint}`;
    });
  }
  if (field === '') {
    if (issue.code === 'invalid_type' && part === 'request body')
      return [`request body must be a JSON object (${describeValue(input)} given)`];
    return [`${part}: ${issue.message}`];
  }
  const value = valueAt(input, issue.path);
  if (issue.code === 'invalid_type' && value === undefined)
    return [`${part} "${field}" is missing: ${issue.message}`];
  return [`${part} "${field}": ${issue.message} (${describeValue(value)} given)`];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  return `${typeof v} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

function closest(key: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replaceAll(/[-_]/g, '');
  return known.find((k) => norm(k) === norm(key));
}
