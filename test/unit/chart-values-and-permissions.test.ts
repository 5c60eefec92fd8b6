// Drift checks of the riffle-operator chart that need no helm: its RBAC template is the rendering of
// operator/src/permissions.ts, and values.yaml and values.schema.json describe the same keys.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { PERMISSIONS_TEMPLATE, renderPermissionsTemplate } from '../../hack/chart/permissions-template.ts';

const chart = resolve(import.meta.dirname, '../../charts/riffle-operator');
const drift = suite('riffle-operator chart drift');

type Schema = {
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
};

const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8')) as Schema;
const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as Record<string, unknown>;

drift('templates/_permissions.tpl is the rendering of operator/src/permissions.ts', () => {
  assert.is(
    readFileSync(PERMISSIONS_TEMPLATE, 'utf8'),
    renderPermissionsTemplate(),
    'charts/riffle-operator/templates/_permissions.tpl is stale: run `node hack/chart/gen-permissions.ts`',
  );
});

/** Dotted paths of the keys of `value`, descending into objects the schema closes (additionalProperties false). */
function keyPaths(value: Record<string, unknown>, s: Schema, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, v]) => {
    const path = `${prefix}${key}`;
    const child = s.properties?.[key];
    const closed = child?.additionalProperties === false;
    return v !== null && typeof v === 'object' && !Array.isArray(v) && closed
      ? [path, ...keyPaths(v as Record<string, unknown>, child, `${path}.`)]
      : [path];
  });
}

function schemaPaths(s: Schema, prefix = ''): string[] {
  return Object.entries(s.properties ?? {}).flatMap(([key, child]) => {
    const path = `${prefix}${key}`;
    return child.additionalProperties === false ? [path, ...schemaPaths(child, `${path}.`)] : [path];
  });
}

drift('every key of values.yaml is in values.schema.json and the other way round', () => {
  const inValues = keyPaths(values, schema).sort();
  const inSchema = schemaPaths(schema)
    .filter((p) => p !== 'global')
    .sort();
  assert.equal(inValues, inSchema);
});

drift('every property of values.schema.json has a description', () => {
  const undocumented: string[] = [];
  const visit = (s: Schema, prefix: string) => {
    for (const [key, child] of Object.entries(s.properties ?? {})) {
      if (!child.description) undocumented.push(`${prefix}${key}`);
      if (child.additionalProperties === false) visit(child, `${prefix}${key}.`);
    }
  };
  visit(schema, '');
  assert.equal(undocumented, []);
});

drift('the schema closes the top level and every object it documents (typos fail)', () => {
  assert.is(schema.additionalProperties, false);
  for (const key of [
    'image',
    'leaderElection',
    'metrics',
    'health',
    'serviceAccount',
    'rbac',
    'podDisruptionBudget',
  ])
    assert.is(schema.properties?.[key]?.additionalProperties, false, key);
});

drift.run();
