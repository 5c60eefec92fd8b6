import { existsSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { z } from 'zod';
import { CRD_FILES, renderCrdYaml } from './crd-files.ts';
import { streamJobCrd } from './stream-job-crd.ts';
import { type JsonSchema, toStructural, zodToJsonSchema } from './structural-schema.ts';

const crd = suite('StreamJob CRD');

crd(
  'crds/ and the chart copy are up to date with the zod schema (run `npm run crds` when this fails)',
  () => {
    const expected = renderCrdYaml();
    for (const file of CRD_FILES) {
      assert.ok(existsSync(file), `${file} is missing: run npm run crds`);
      assert.ok(readFileSync(file, 'utf8') === expected, `${file} is stale: run npm run crds`);
    }
  },
);

function walk(node: JsonSchema, path: string, visit: (n: JsonSchema, p: string) => void): void {
  visit(node, path);
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>))
    walk(child, `${path}.${name}`, visit);
  if (node.items) walk(node.items as JsonSchema, `${path}[]`, visit);
  if (typeof node.additionalProperties === 'object')
    walk(node.additionalProperties as JsonSchema, `${path}{}`, visit);
}

crd('the schema is structural: a type everywhere, no $ref, no properties beside additionalProperties', () => {
  const version = (streamJobCrd().spec as { versions: { schema: { openAPIV3Schema: JsonSchema } }[] })
    .versions[0]!;
  walk(version.schema.openAPIV3Schema, '', (n, p) => {
    assert.ok(
      typeof n.type === 'string' || n['x-kubernetes-preserve-unknown-fields'] === true,
      `${p} has no type`,
    );
    assert.not.ok('$ref' in n || 'anyOf' in n || 'oneOf' in n, `${p} has $ref/anyOf/oneOf`);
    assert.not.ok(
      n.properties !== undefined && n.additionalProperties !== undefined,
      `${p}: both properties and additionalProperties`,
    );
    assert.not.ok('diff' in n || 'freeForm' in n, `${p} leaks zod metadata`);
  });
});

crd(
  'status and scale subresources point at the TaskManager replicas; printer columns show lifecycle and job',
  () => {
    const yaml = parse(readFileSync(CRD_FILES[0], 'utf8'));
    const v = yaml.spec.versions[0];
    assert.equal(v.subresources.scale.specReplicasPath, '.spec.taskManager.replicas');
    assert.equal(v.subresources.scale.labelSelectorPath, '.status.taskManager.labelSelector');
    assert.equal(
      v.additionalPrinterColumns.map((c: { name: string }) => c.name),
      ['Lifecycle', 'Job State', 'Parallelism', 'Last Savepoint', 'Age'],
    );
    assert.equal(yaml.spec.names.shortNames, ['sj']);
  },
);

crd('free-form maps keep unknown fields; a union without a type is refused', () => {
  const s = toStructural(
    zodToJsonSchema(z.object({ m: z.record(z.string(), z.unknown()).meta({ freeForm: true }) })),
  );
  assert.equal((s.properties as Record<string, JsonSchema>).m, {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  });
  assert.throws(
    () => toStructural(zodToJsonSchema(z.object({ u: z.union([z.string(), z.number()]) }))),
    /\.u has no type/,
  );
});

crd.run();
