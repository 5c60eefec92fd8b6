import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { StreamJobSpec } from '../api/stream-job-spec.ts';
import { baseSpec } from '../testing/decide-sim.ts';
import { type DiffClass, diffSpecs } from './spec-diff.ts';

const diff = suite('spec diff: each field has its class, the change takes the highest');

const cases: [string, (s: ReturnType<typeof baseSpec>) => void, DiffClass, string[]][] = [
  ['nothing', () => {}, 'none', []],
  ['upgradeMode', (s) => (s.job.upgradeMode = 'last-state'), 'ignore', ['job.upgradeMode']],
  ['savepoint nonce', (s) => (s.job.savepointTriggerNonce = 3), 'ignore', ['job.savepointTriggerNonce']],
  [
    'savepoint settings',
    (s) => (s.savepoints!.periodicInterval = '1h'),
    'ignore',
    ['savepoints.periodicInterval'],
  ],
  [
    'initialSavepointPath',
    (s) => (s.job.initialSavepointPath = 's3://x'),
    'ignore',
    ['job.initialSavepointPath'],
  ],
  ['operator.* config', (s) => (s.config = { 'operator.note': 'x' }), 'ignore', ['config.operator.note']],
  ['job.state is a transition, not a diff', (s) => (s.job.state = 'suspended'), 'none', []],
  ['replicas', (s) => (s.taskManager!.replicas = 3), 'scale', ['taskManager.replicas']],
  ['slots', (s) => (s.taskManager!.slots = 4), 'scale', ['taskManager.slots']],
  ['parallelism', (s) => (s.job.parallelism = 4), 'scale', ['job.parallelism']],
  ['image', (s) => (s.image = 'riffle:2'), 'upgrade', ['image']],
  ['args', (s) => (s.job.args = []), 'upgrade', ['job.args']],
  [
    'resources (free-form)',
    (s) => (s.taskManager!.resources = { limits: { cpu: '2' } }),
    'upgrade',
    ['taskManager.resources.limits.cpu'],
  ],
  ['runtime config', (s) => (s.config = { 'state.backend': 'lmdb' }), 'upgrade', ['config.state.backend']],
  ['restartNonce', (s) => (s.restartNonce = 1), 'upgrade', ['restartNonce']],
  ['checkpoint storage', (s) => (s.checkpointing!.storage = 's3://c'), 'upgrade', ['checkpointing.storage']],
  [
    'scale + ignore + upgrade → upgrade',
    (s) => {
      s.taskManager!.replicas = 2;
      s.job.upgradeMode = 'stateless';
      s.image = 'riffle:9';
    },
    'upgrade',
    ['image', 'job.upgradeMode', 'taskManager.replicas'],
  ],
];

for (const [name, edit, cls, fields] of cases) {
  diff(name, () => {
    const before = StreamJobSpec.parse(baseSpec());
    const after = StreamJobSpec.parse(baseSpec(edit));
    const d = diffSpecs(before, after);
    assert.is(d.class, cls);
    assert.equal([...d.fields].sort(), fields);
  });
}

diff.run();
