// The example StreamJob manifests (examples/*/streamjob.yaml) are valid: the operator's own spec check
// (the zod schema the CRD is generated from, plus the semantic rules) accepts them, and each names a job
// module that exists, so the runtime image (which holds examples/) can run it. The apply against the real
// CRD is in test/integration/helm/chart-install.test.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { API_VERSION, KIND } from '../../operator/src/api/stream-job.ts';
import { checkSpec } from '../../operator/src/reconcile/validate-spec.ts';

const root = resolve(import.meta.dirname, '../..');
const examples = suite('example StreamJob manifests');

const manifests = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'examples', d.name, 'streamjob.yaml')))
  .map((d) => `examples/${d.name}/streamjob.yaml`);

examples('fraud-detection and order-analytics have a StreamJob manifest', () => {
  assert.ok(manifests.includes('examples/fraud-detection/streamjob.yaml'), manifests.join(', '));
  assert.ok(manifests.includes('examples/order-analytics/streamjob.yaml'), manifests.join(', '));
});

for (const file of manifests) {
  examples(`${file} passes the operator's spec check and names an existing job module`, () => {
    const doc = parse(readFileSync(join(root, file), 'utf8')) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string };
      spec: { job: { entryModule: string } };
    };
    assert.is(doc.apiVersion, API_VERSION);
    assert.is(doc.kind, KIND);
    assert.match(doc.metadata.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    const check = checkSpec(doc.spec, undefined);
    assert.ok(check.ok, `${file}: ${JSON.stringify(check.ok ? [] : check.problems)}`);
    assert.ok(
      existsSync(join(root, doc.spec.job.entryModule)),
      `${file}: spec.job.entryModule ${doc.spec.job.entryModule} does not exist`,
    );
  });
}

examples('the spec check refuses a manifest that breaks a rule (so the test above can fail)', () => {
  const doc = parse(readFileSync(join(root, 'examples/fraud-detection/streamjob.yaml'), 'utf8'));
  delete doc.spec.savepoints.directory;
  assert.not.ok(checkSpec(doc.spec, undefined).ok, 'savepoint upgrade mode without a savepoint directory');
});

examples.run();
