import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { checkSpec } from '../reconcile/validate-spec.ts';

const examples = suite('examples/kubernetes StreamJobs');
const dir = resolve(import.meta.dirname, '../../../examples/kubernetes');

for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
  examples(`${file} is a valid StreamJob`, () => {
    const doc = parse(readFileSync(join(dir, file), 'utf8'));
    assert.is(doc.kind, 'StreamJob');
    const check = checkSpec(doc.spec, undefined);
    assert.ok(check.ok, JSON.stringify(check.ok ? '' : check.problems));
  });
}

examples.run();
