// The generated CRD's schema is enforced by the real API server at `kubectl apply`: malformed StreamJobs are
// refused with a message naming the field; a valid one (with defaults filled in) is accepted.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { loadTestEnv } from '../test-env.ts';
import { OperatorFixture } from './operator-fixture.ts';

const run = promisify(execFile);
const crd = suite('StreamJob CRD validation at kubectl apply');
const fx = new OperatorFixture();
crd.before(() => fx.setUp());
crd.after(() => fx.tearDown());

async function apply(spec: Record<string, unknown>): Promise<{ ok: boolean; output: string }> {
  const env = loadTestEnv();
  const manifest = stringify({
    apiVersion: 'riffle.dev/v1alpha1',
    kind: 'StreamJob',
    metadata: { name: 'v', namespace: fx.namespace },
    spec,
  });
  const child = run(env.kubectl, [
    '--kubeconfig',
    env.kubeconfig,
    'apply',
    '--dry-run=server',
    '-o',
    'json',
    '-f',
    '-',
  ]);
  child.child.stdin!.end(manifest);
  try {
    const { stdout } = await child;
    return { ok: true, output: stdout };
  } catch (e) {
    return { ok: false, output: String((e as { stderr?: string }).stderr ?? e) };
  }
}

const valid = () => ({
  image: 'riffle:1',
  job: { entryModule: 'examples/fraud-detection/job.ts' },
  savepoints: { directory: 's3://b/sp' },
});

crd('a valid StreamJob is accepted and defaulted by the API server', async () => {
  const r = await apply(valid());
  assert.ok(r.ok, r.output);
  const obj = JSON.parse(r.output);
  assert.equal(
    [
      obj.spec.job.upgradeMode,
      obj.spec.job.state,
      obj.spec.taskManager.slots,
      obj.spec.savepoints.onDelete,
      obj.spec.jobManager.port,
    ],
    ['savepoint', 'running', 1, true, 8081],
  );
});

const bad: [string, (s: ReturnType<typeof valid> & Record<string, unknown>) => void, RegExp][] = [
  ['missing image', (s) => delete (s as { image?: string }).image, /spec\.image: Required value/],
  [
    'slots as a string',
    (s) => (s.taskManager = { slots: 'two' }),
    /spec\.taskManager\.slots: Invalid value: "string"/,
  ],
  [
    'unknown upgrade mode',
    (s) => ((s.job as Record<string, unknown>).upgradeMode = 'snapshot'),
    /spec\.job\.upgradeMode: Unsupported value: "snapshot"/,
  ],
  [
    'a duration in words',
    (s) => (s.checkpointing = { interval: '10 seconds', storage: 's3://b' }),
    /spec\.checkpointing\.interval/,
  ],
  [
    'zero replicas',
    (s) => (s.taskManager = { replicas: 0 }),
    /spec\.taskManager\.replicas: Invalid value: 0/,
  ],
];

for (const [name, edit, message] of bad) {
  crd(`refused: ${name}`, async () => {
    const spec = valid() as ReturnType<typeof valid> & Record<string, unknown>;
    edit(spec);
    const r = await apply(spec);
    assert.not.ok(r.ok, 'refused');
    assert.match(r.output, message);
  });
}

crd.run();
