// Classifies a spec change per field, as Flink's operator does: ignore < scale < upgrade; the whole change
// is the most expensive of its fields. The class of each field is declared once, beside the field, in the zod
// schema (`.meta({ diff })`); job.state is not a diff but a transition (suspend/resume), handled by decide.

import { StreamJobSpec } from '../api/stream-job-spec.ts';
import { zodToJsonSchema } from '../crd/structural-schema.ts';

export type DiffClass = 'none' | 'ignore' | 'scale' | 'upgrade';
export type SpecDiff = { readonly class: DiffClass; readonly fields: readonly string[] };

const RANK: Record<DiffClass, number> = { none: 0, ignore: 1, scale: 2, upgrade: 3 };
type SchemaNode = { properties?: Record<string, SchemaNode>; diff?: string };

const schema = zodToJsonSchema(StreamJobSpec) as SchemaNode;

/** The declared class of a field path such as `job.parallelism` (the nearest ancestor with one). */
export function fieldClass(path: readonly string[]): DiffClass | 'state' {
  let node: SchemaNode | undefined = schema;
  let found: string | undefined;
  for (const part of path) {
    node = node?.properties?.[part];
    if (node?.diff !== undefined) found = node.diff;
    if (node === undefined) break;
  }
  if (path[0] === 'config' && path[1]?.startsWith('operator.')) return 'ignore';
  return (found as DiffClass | 'state' | undefined) ?? 'upgrade';
}

export function diffSpecs(before: unknown, after: unknown): SpecDiff {
  const fields: string[] = [];
  let cls: DiffClass = 'none';
  const visit = (a: unknown, b: unknown, path: string[]): void => {
    if ((isPlainObject(a) || a === undefined) && (isPlainObject(b) || b === undefined) && a !== b) {
      a ??= {};
      b ??= {};
      const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
      for (const k of [...keys].sort())
        visit((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k]);
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    const c = fieldClass(path);
    if (c === 'state') return;
    fields.push(path.join('.'));
    if (RANK[c] > RANK[cls]) cls = c;
  };
  visit(before, after, []);
  return { class: cls, fields };
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
