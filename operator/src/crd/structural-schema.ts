// zod 4 → a Kubernetes structural schema (KEP-2335) for a CRD's openAPIV3Schema. z.toJSONSchema with the
// openapi-3.0 target, input types (so defaulted fields are optional) and everything inlined gets close; this
// post-pass removes what the apiserver refuses (additionalProperties beside properties, zod's safe-integer
// bounds, metadata keys), turns free-form maps into x-kubernetes-preserve-unknown-fields, and checks that
// every node has a type.
import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

const KEPT = new Set([
  'type',
  'properties',
  'items',
  'required',
  'description',
  'default',
  'enum',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'nullable',
  'additionalProperties',
  'minItems',
  'maxItems',
]);

/** The zod schema as JSON Schema, metadata (`diff`, `freeForm`) included, before the structural pass. */
export function zodToJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    cycles: 'throw',
    reused: 'inline',
    unrepresentable: 'throw',
  }) as JsonSchema;
}

export function toStructural(node: JsonSchema, path = ''): JsonSchema {
  if (node.freeForm === true) {
    const out: JsonSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    if (typeof node.description === 'string') out.description = node.description;
    if (node.type === 'object' && isSchema(node.additionalProperties)) {
      const values = node.additionalProperties as JsonSchema;
      // A map of strings keeps its value type; anything else is kept as written.
      if (values.type === 'string') return { ...out, additionalProperties: { type: 'string' } };
    }
    return out;
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-')) out[key] = value;
    else if (!KEPT.has(key)) continue;
    else if (key === 'properties') {
      const props: Record<string, JsonSchema> = {};
      for (const [name, child] of Object.entries(value as Record<string, JsonSchema>))
        props[name] = toStructural(child, `${path}.${name}`);
      out.properties = props;
    } else if (key === 'items') out.items = toStructural(value as JsonSchema, `${path}[]`);
    else if (key === 'additionalProperties') {
      if (node.properties !== undefined || value === false) continue;
      out.additionalProperties = isSchema(value) ? toStructural(value, `${path}{}`) : value;
    } else if (
      (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) ||
      (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)
    )
      continue;
    else out[key] = value;
  }
  if (
    typeof out.type !== 'string' &&
    out['x-kubernetes-preserve-unknown-fields'] !== true &&
    out['x-kubernetes-int-or-string'] !== true
  )
    throw new Error(`schema node ${path || '(root)'} has no type; structural schemas need one on every node`);
  return out;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
