import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamJobSpec } from '../api/stream-job-spec.ts';
import type { DeploymentPlan } from '../reconcile/decision.ts';
import { baseSpec } from '../testing/decide-sim.ts';
import { buildChildren } from './children.ts';
import { mergeOverride } from './pod-template-merge.ts';

const owner = { name: 'wc', namespace: 'ns', uid: 'uid-1' };
const plan: DeploymentPlan = {
  jobId: 'ab'.repeat(16),
  restoreFrom: 's3://b/sp/savepoint-1',
  mode: 'savepoint',
  requireCheckpoint: false,
  running: true,
  generation: 3,
};

const children = suite('children of a StreamJob');

children(
  'owner reference, generation label and plan hash on every child; selectors without the generation',
  () => {
    const c = buildChildren(owner, StreamJobSpec.parse(baseSpec()), plan, 'h1');
    for (const o of [c.configMap, c.service, c.jobManager, c.taskManager]) {
      assert.equal(o.metadata!.ownerReferences, [
        {
          apiVersion: 'riffle.dev/v1alpha1',
          kind: 'StreamJob',
          name: 'wc',
          uid: 'uid-1',
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      assert.is(o.metadata!.labels!['riffle.dev/generation'], '3');
      assert.is(o.metadata!.annotations!['riffle.dev/plan-hash'], 'h1');
    }
    assert.equal(c.jobManager.spec!.selector.matchLabels, {
      'riffle.dev/streamjob': 'wc',
      'riffle.dev/component': 'jobmanager',
    });
    assert.is(
      c.jobManager.spec!.template.metadata!.annotations!['riffle.dev/plan-hash'],
      'h1',
      'a new plan rolls the pods',
    );
    assert.is(c.service.spec!.clusterIP, 'None');
  },
);

children('the JobManager runs the job of the plan: id, parallelism, checkpoints, restore', () => {
  const c = buildChildren(owner, StreamJobSpec.parse(baseSpec()), plan, 'h');
  const jm = c.jobManager.spec!.template.spec!.containers[0]!;
  assert.equal(jm.command, ['node', 'runtime/src/cli/main.ts']);
  assert.equal(jm.args, [
    'jobmanager',
    '--host',
    '0.0.0.0',
    '--port',
    '8081',
    '--job',
    'examples/wordcount/job.ts',
    '--job-id',
    plan.jobId,
    '--parallelism',
    '2',
    '--checkpoint-interval',
    '10000',
    '--checkpoint-storage',
    's3://b/chk',
    '--from-savepoint',
    's3://b/sp/savepoint-1',
    '--',
    '--rate',
    '10',
  ]);
  const tm = c.taskManager.spec!.template.spec!.containers[0]!;
  assert.equal(tm.args, [
    'taskmanager',
    '--jobmanager',
    'http://wc-jobmanager.ns.svc:8081',
    '--slots',
    '2',
    '--host',
    '$(POD_IP)',
  ]);
  assert.equal([c.jobManager.spec!.replicas, c.taskManager.spec!.replicas], [1, 1]);
  const last = buildChildren(
    owner,
    StreamJobSpec.parse(baseSpec()),
    { ...plan, restoreFrom: undefined, mode: 'last-state', requireCheckpoint: true },
    'h',
  );
  assert.ok(last.jobManager.spec!.template.spec!.containers[0]!.args!.includes('--require-checkpoint'));
});

children(
  'suspended: both Deployments at zero; credentials from the Secret; pod template overrides merged',
  () => {
    const spec = StreamJobSpec.parse(
      baseSpec((s) => {
        s.checkpointing!.credentialsSecret = 's3-creds';
        s.taskManager!.podTemplate = {
          spec: {
            nodeSelector: { pool: 'stream' },
            containers: [{ name: 'taskmanager', env: [{ name: 'EXTRA', value: '1' }] }],
          },
        };
      }),
    );
    const c = buildChildren(owner, spec, { ...plan, running: false }, 'h');
    assert.equal([c.jobManager.spec!.replicas, c.taskManager.spec!.replicas], [0, 0]);
    const tm = c.taskManager.spec!.template.spec!;
    assert.equal(tm.nodeSelector, { pool: 'stream' });
    assert.equal(tm.containers[0]!.envFrom, [{ secretRef: { name: 's3-creds' } }]);
    assert.ok(tm.containers[0]!.env!.some((e) => e.name === 'EXTRA'));
    assert.ok(
      tm.containers[0]!.env!.some((e) => e.name === 'POD_IP'),
      'generated env kept',
    );
  },
);

children('override merge: objects by key, named lists by name, other values replaced', () => {
  assert.equal(
    mergeOverride(
      { a: { b: 1, c: 2 }, list: [{ name: 'x', v: 1 }], plain: [1, 2] },
      { a: { c: 3 }, list: [{ name: 'x', w: 2 }, { name: 'y' }], plain: [3] },
    ),
    { a: { b: 1, c: 3 }, list: [{ name: 'x', v: 1, w: 2 }, { name: 'y' }], plain: [3] },
  );
});

children.run();
