import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SKIP_FINAL_SAVEPOINT_ANNOTATION } from '../api/stream-job.ts';
import { baseSpec, condition, find, kinds, reasons, Sim, T0 } from '../testing/decide-sim.ts';

const RUNNING = { state: 'RUNNING' } as const;
const CHECKPOINT = { id: 7, path: 's3://b/chk/j/chk-7', timestamp: T0 } as const;

/** A job deployed and observed running: status as after a few passes. */
function running(spec = baseSpec()): Sim {
  const sim = new Sim(spec);
  sim.pass();
  sim.pass(RUNNING);
  return sim;
}

const first = suite('decide: first deployment');

first('deploys the children with a deterministic job id, the finalizer and DEPLOYED', () => {
  const sim = new Sim();
  sim.job.metadata.finalizers = [];
  const d = sim.pass();
  assert.equal(kinds(d), ['add-finalizer', 'apply-children']);
  const apply = find(d, 'apply-children')!;
  assert.match(apply.plan.jobId, /^[0-9a-f]{32}$/);
  assert.is(apply.plan.running, true);
  assert.is(apply.plan.restoreFrom, undefined);
  assert.is(d.status.lifecycleState, 'DEPLOYED');
  assert.is(d.status.deployment!.planHash, apply.planHash);
  assert.equal(reasons(d), ['Submit']);
  assert.is(new Sim().pass().status.deployment!.jobId, apply.plan.jobId, 'same input, same job id');
});

first('starts from spec.job.initialSavepointPath', () => {
  const d = new Sim(baseSpec((s) => (s.job.initialSavepointPath = 's3://b/sp/savepoint-1'))).pass();
  assert.is(find(d, 'apply-children')!.plan.restoreFrom, 's3://b/sp/savepoint-1');
});

first('created suspended: the children exist with nothing running, SUSPENDED', () => {
  const d = new Sim(baseSpec((s) => (s.job.state = 'suspended'))).pass();
  assert.is(find(d, 'apply-children')!.plan.running, false);
  assert.is(d.status.lifecycleState, 'SUSPENDED');
  assert.is(d.status.taskManager!.replicas, 0);
});

first('becomes STABLE and Ready once the job is observed RUNNING; then a pass changes nothing', () => {
  const sim = running();
  assert.is(sim.last!.status.lifecycleState, 'STABLE');
  assert.is(condition(sim.last!, 'Ready').status, 'True');
  const d = sim.pass(RUNNING);
  assert.equal(kinds(d), []);
  assert.is(d.requeueAfterMs, 15_000);
});

const validation = suite('decide: validation');

validation('savepoint mode without a directory: Degraded naming the field, nothing deployed', () => {
  const d = new Sim(baseSpec((s) => (s.savepoints = {}))).pass();
  assert.equal(kinds(d), []);
  const degraded = condition(d, 'Degraded');
  assert.is(degraded.status, 'True');
  assert.is(degraded.reason, 'InvalidSpec');
  assert.match(degraded.message, 'spec.savepoints.directory is required by spec.job.upgradeMode: savepoint');
  assert.equal(reasons(d), ['ValidationError']);
});

validation('an invalid edit keeps the job running on its last valid spec', () => {
  const sim = running();
  const before = sim.job.status!.lastReconciledSpec;
  sim.edit((s) => {
    s.job.upgradeMode = 'last-state';
    delete s.checkpointing;
  });
  const d = sim.pass(RUNNING);
  assert.equal(kinds(d), []);
  assert.is(d.status.lastReconciledSpec, before);
  assert.match(
    condition(d, 'Degraded').message,
    'spec.checkpointing is required by spec.job.upgradeMode: last-state',
  );
  assert.is(d.status.lifecycleState, 'STABLE');
  assert.equal(reasons(sim.pass(RUNNING)), [], 'the ValidationError event is not repeated every pass');
});

validation('maxParallelism cannot change under state; a zod error names the path', () => {
  const sim = running();
  sim.edit((s) => (s.job.maxParallelism = 256));
  assert.match(
    condition(sim.pass(RUNNING), 'Degraded').message,
    'spec.job.maxParallelism cannot change from 128 to 256',
  );
  const bad = new Sim(baseSpec((s) => ((s.taskManager as { slots: unknown }).slots = 'two'))).pass();
  assert.match(condition(bad, 'Degraded').message, 'expected number');
});

const upgrade = suite('decide: savepoint upgrade');

upgrade('image change: stop-with-savepoint, path recorded, then redeploy from it with a new job id', () => {
  const sim = running();
  const oldJob = sim.job.status!.deployment!.jobId;
  sim.edit((s) => (s.image = 'riffle:2'));
  let d = sim.pass(RUNNING);
  assert.equal(kinds(d), ['trigger-savepoint']);
  const trigger = find(d, 'trigger-savepoint')!;
  assert.equal([trigger.stop, trigger.jobId, trigger.directory], [true, oldJob, 's3://b/sp']);
  assert.is(d.status.lifecycleState, 'UPGRADING');
  assert.ok(reasons(d).includes('SpecChanged'));

  d = sim.pass({ state: 'RUNNING', savepoint: { state: 'in-progress' } });
  assert.equal(kinds(d), []);
  assert.is(d.requeueAfterMs, 2000, 'polls, never blocks');

  d = sim.pass({ state: 'FINISHED', savepoint: { state: 'completed', location: 's3://b/sp/savepoint-x-1' } });
  assert.equal(kinds(d), [], 'no pod changes in the pass that records the savepoint');
  assert.is(d.status.upgrade!.restoreFrom, 's3://b/sp/savepoint-x-1');
  assert.is(d.status.job!.upgradeSavepointPath, 's3://b/sp/savepoint-x-1');
  assert.is(d.requeueAfterMs, 0);

  d = sim.pass({ state: 'FINISHED' });
  const apply = find(d, 'apply-children')!;
  assert.is(apply.spec.image, 'riffle:2');
  assert.is(apply.plan.restoreFrom, 's3://b/sp/savepoint-x-1');
  assert.is.not(apply.plan.jobId, oldJob);
  assert.is(d.status.lifecycleState, 'DEPLOYED');
  assert.is(d.status.upgrade, undefined);

  d = sim.pass(RUNNING);
  assert.is(d.status.lifecycleState, 'STABLE');
  assert.is(d.status.savepointHistory!.length, 1);
});

upgrade('the same pass repeated (lost status patch) sends the same trigger id', () => {
  const sim = running();
  sim.edit((s) => (s.image = 'riffle:2'));
  const saved = structuredClone(sim.job);
  const a = find(sim.pass(RUNNING), 'trigger-savepoint')!;
  sim.job = saved;
  const b = find(sim.pass(RUNNING), 'trigger-savepoint')!;
  assert.is(a.triggerId, b.triggerId);
});

upgrade('a spec changed again while savepointing: the latest spec is deployed', () => {
  const sim = running();
  sim.edit((s) => (s.image = 'riffle:2'));
  sim.pass(RUNNING);
  sim.edit((s) => (s.image = 'riffle:3'));
  sim.pass({ state: 'FINISHED', savepoint: { state: 'completed', location: 's3://b/sp/1' } });
  assert.is(find(sim.pass({ state: 'FINISHED' }), 'apply-children')!.spec.image, 'riffle:3');
});

upgrade(
  'an invalid edit during an upgrade: the recorded target is deployed, Degraded names the field',
  () => {
    const sim = running();
    sim.edit((s) => (s.image = 'riffle:2'));
    sim.pass(RUNNING);
    sim.edit((s) => (s.savepoints = {}));
    sim.pass({ state: 'FINISHED', savepoint: { state: 'completed', location: 's3://b/sp/1' } });
    const d = sim.pass({ state: 'FINISHED' });
    assert.is(find(d, 'apply-children')!.spec.image, 'riffle:2');
    assert.is(find(d, 'apply-children')!.spec.savepoints.directory, 's3://b/sp');
    assert.match(condition(d, 'Degraded').message, 'spec.savepoints.directory is required');
  },
);

upgrade('kubectl scale (taskManager.replicas) rescales through a savepoint', () => {
  const sim = running();
  sim.edit((s) => (s.taskManager!.replicas = 2));
  const d = sim.pass(RUNNING);
  assert.ok(reasons(d).includes('Scaling'));
  assert.equal(kinds(d), ['trigger-savepoint']);
  sim.pass({ state: 'FINISHED', savepoint: { state: 'completed', location: 's3://b/sp/2' } });
  const d2 = sim.pass({ state: 'FINISHED' });
  assert.is(d2.status.parallelism, 4);
  assert.is(d2.status.taskManager!.replicas, 2);
});

upgrade(
  'a failed savepoint leaves the job running, Degraded, and retries later with a new trigger id',
  () => {
    const sim = running();
    sim.edit((s) => (s.image = 'riffle:2'));
    const first = find(sim.pass(RUNNING), 'trigger-savepoint')!;
    let d = sim.pass({ state: 'RUNNING', savepoint: { state: 'failed', message: 'disk full' } });
    assert.equal(kinds(d), []);
    assert.is(condition(d, 'Degraded').reason, 'SavepointFailed');
    assert.match(d.status.error!, 'disk full');
    assert.is(d.status.lifecycleState, 'UPGRADING');
    d = sim.pass(RUNNING, 5000);
    assert.equal(kinds(d), [], 'waits for the retry time');
    d = sim.pass(RUNNING, 10_000);
    const second = find(d, 'trigger-savepoint')!;
    assert.is.not(second.triggerId, first.triggerId);
  },
);

upgrade('a savepoint without answer times out (spec.savepoints.timeout)', () => {
  const sim = running(baseSpec((s) => (s.savepoints!.timeout = '30s')));
  sim.edit((s) => (s.image = 'riffle:2'));
  sim.pass(RUNNING);
  const d = sim.pass({ state: 'RUNNING', savepoint: { state: 'in-progress' } }, 31_000);
  assert.match(d.status.error!, 'no result within spec.savepoints.timeout (30s)');
});

upgrade('job not running and a checkpoint known: falls back to last-state (same job id), never empty', () => {
  const sim = running();
  const jobId = sim.job.status!.deployment!.jobId;
  sim.pass({ state: 'RUNNING', lastCheckpoint: CHECKPOINT });
  sim.edit((s) => (s.image = 'riffle:2'));
  const d = sim.pass({ state: 'FAILED' });
  assert.ok(reasons(d).includes('LastStateFallback'));
  const apply = find(sim.pass({ state: 'FAILED' }), 'apply-children')!;
  assert.equal(
    [apply.plan.jobId, apply.plan.mode, apply.plan.requireCheckpoint],
    [jobId, 'last-state', true],
  );
});

upgrade('job not running and no checkpoint: the upgrade waits, Degraded, nothing redeployed', () => {
  const sim = running();
  sim.edit((s) => (s.image = 'riffle:2'));
  for (const _ of [1, 2, 3]) {
    const d = sim.pass({ state: 'FAILED' });
    assert.equal(kinds(d), []);
  }
  const d = sim.last!;
  assert.is(condition(d, 'Degraded').reason, 'UpgradeBlocked');
  assert.match(d.status.error!, 'never starts from empty state');
});

const modes = suite('decide: last-state and stateless');

modes('last-state with a checkpoint: redeploys the same job id, which resumes from HA metadata', () => {
  const sim = running(baseSpec((s) => (s.job.upgradeMode = 'last-state')));
  const jobId = sim.job.status!.deployment!.jobId;
  sim.pass({ state: 'RUNNING', lastCheckpoint: CHECKPOINT });
  sim.edit((s) => (s.job.args = ['--rate', '20']));
  assert.equal(kinds(sim.pass(RUNNING)), [], 'first the write-ahead record');
  const apply = find(sim.pass(RUNNING), 'apply-children')!;
  assert.equal([apply.plan.jobId, apply.plan.requireCheckpoint], [jobId, true]);
});

modes('last-state before any checkpoint: takes a savepoint instead', () => {
  const sim = running(baseSpec((s) => (s.job.upgradeMode = 'last-state')));
  sim.edit((s) => (s.job.args = []));
  const d = sim.pass(RUNNING);
  assert.equal(kinds(d), ['trigger-savepoint']);
  assert.ok(reasons(d).includes('LastStateWithoutCheckpoint'));
});

modes('stateless: a fresh job id and no restore', () => {
  const sim = running(baseSpec((s) => (s.job.upgradeMode = 'stateless')));
  const jobId = sim.job.status!.deployment!.jobId;
  sim.edit((s) => (s.image = 'riffle:2'));
  sim.pass(RUNNING);
  const apply = find(sim.pass(RUNNING), 'apply-children')!;
  assert.is(apply.plan.restoreFrom, undefined);
  assert.is.not(apply.plan.jobId, jobId);
});

modes('ignore-class changes update the reconciled spec without touching pods', () => {
  const sim = running();
  sim.edit((s) => (s.savepoints!.historyMaxCount = 3));
  const d = sim.pass(RUNNING);
  assert.equal(kinds(d), []);
  assert.match(d.status.lastReconciledSpec!, '"historyMaxCount":3');
});

const suspend = suite('decide: suspend and resume');

suspend('suspend stops with a savepoint and scales to zero; resume restores from it', () => {
  const sim = running();
  sim.edit((s) => (s.job.state = 'suspended'));
  assert.equal(kinds(sim.pass(RUNNING)), ['trigger-savepoint']);
  sim.pass({ state: 'FINISHED', savepoint: { state: 'completed', location: 's3://b/sp/s1' } });
  let d = sim.pass({ state: 'FINISHED' });
  assert.is(find(d, 'apply-children')!.plan.running, false);
  assert.is(d.status.lifecycleState, 'SUSPENDED');
  assert.is(d.status.taskManager!.replicas, 0);
  assert.equal(kinds(sim.pass({ reachable: false })), []);

  sim.edit((s) => (s.job.state = 'running'));
  d = sim.pass({ reachable: false });
  assert.ok(reasons(d).includes('Resuming'));
  d = sim.pass({ reachable: false });
  const apply = find(d, 'apply-children')!;
  assert.equal([apply.plan.running, apply.plan.restoreFrom], [true, 's3://b/sp/s1']);
});

suspend('created suspended with an initialSavepointPath: the first resume starts from it', () => {
  const sim = new Sim(
    baseSpec((s) => {
      s.job.state = 'suspended';
      s.job.initialSavepointPath = 's3://b/sp/seed';
    }),
  );
  sim.pass();
  sim.edit((s) => (s.job.state = 'running'));
  sim.pass({ reachable: false });
  const apply = find(sim.pass({ reachable: false }), 'apply-children')!;
  assert.equal([apply.plan.running, apply.plan.restoreFrom], [true, 's3://b/sp/seed']);
});

const savepoints = suite('decide: manual and periodic savepoints');

savepoints('a new savepointTriggerNonce takes one savepoint (job keeps running)', () => {
  const sim = running();
  sim.edit((s) => (s.job.savepointTriggerNonce = 1));
  const t = find(sim.pass(RUNNING), 'trigger-savepoint')!;
  assert.is(t.stop, false);
  const d = sim.pass({ state: 'RUNNING', savepoint: { state: 'completed', location: 's3://b/sp/m1' } });
  assert.is(d.status.job!.lastSavepoint!.kind, 'manual');
  assert.is(d.status.job!.lastSavepointNonce, 1);
  assert.equal(kinds(sim.pass(RUNNING)), [], 'the same nonce does not trigger again');
});

savepoints('periodic savepoints, and the history keeps at most historyMaxCount (newest kept)', () => {
  const sim = running(
    baseSpec((s) => (s.savepoints = { directory: 's3://b/sp', periodicInterval: '1m', historyMaxCount: 2 })),
  );
  const paths: string[] = [];
  for (let i = 0; i < 3; i++) {
    const d = sim.pass(RUNNING, 60_000);
    assert.is(find(d, 'trigger-savepoint')?.stop, false, `savepoint ${i} triggered`);
    sim.pass({ state: 'RUNNING', savepoint: { state: 'completed', location: `s3://b/sp/p${i}` } });
    paths.push(`s3://b/sp/p${i}`);
  }
  assert.equal(
    sim.job.status!.savepointHistory!.map((h) => h.path),
    ['s3://b/sp/p2', 's3://b/sp/p1'],
  );
});

const deletion = suite('decide: deletion');

function deleting(sim: Sim): Sim {
  sim.job.metadata.deletionTimestamp = new Date(sim.now).toISOString();
  return sim;
}

deletion('a final stop-with-savepoint, then the finalizer goes', () => {
  const sim = deleting(running());
  const d = sim.pass(RUNNING);
  assert.equal(kinds(d), ['trigger-savepoint']);
  assert.is(d.status.lifecycleState, 'DELETING');
  const done = sim.pass({
    state: 'FINISHED',
    savepoint: { state: 'completed', location: 's3://b/sp/final' },
  });
  assert.equal(kinds(done), ['remove-finalizer']);
  assert.ok(reasons(done).includes('FinalSavepoint'));
});

deletion('a failing or hanging final savepoint never blocks deletion for ever', () => {
  const failed = deleting(running());
  failed.pass(RUNNING);
  assert.equal(kinds(failed.pass({ state: 'RUNNING', savepoint: { state: 'failed', message: 'x' } })), [
    'remove-finalizer',
  ]);
  const hanging = deleting(running(baseSpec((s) => (s.savepoints!.timeout = '1m'))));
  hanging.pass(RUNNING);
  assert.equal(kinds(hanging.pass({ state: 'RUNNING', savepoint: { state: 'in-progress' } }, 30_000)), []);
  assert.equal(kinds(hanging.pass({ state: 'RUNNING', savepoint: { state: 'in-progress' } }, 31_000)), [
    'remove-finalizer',
  ]);
});

deletion('deleted between an upgrade savepoint and its deployment: that savepoint is the final one', () => {
  const sim = running();
  sim.edit((s) => (s.image = 'riffle:2'));
  sim.pass(RUNNING);
  sim.pass({ state: 'FINISHED', savepoint: { state: 'completed', location: 's3://b/sp/u1' } });
  deleting(sim);
  const d = sim.pass({ state: 'FINISHED' });
  assert.equal(kinds(d), ['remove-finalizer']);
  const final = d.actions.find((a) => a.kind === 'event' && a.reason === 'FinalSavepoint');
  assert.match((final as { message: string }).message, 's3://b/sp/u1');
});

deletion('skipped by annotation, by onDelete false, or when the job is gone', () => {
  const annotated = deleting(running());
  annotated.job.metadata.annotations = { [SKIP_FINAL_SAVEPOINT_ANNOTATION]: 'true' };
  assert.equal(kinds(annotated.pass(RUNNING)), ['remove-finalizer']);
  const off = deleting(running(baseSpec((s) => (s.savepoints!.onDelete = false))));
  assert.equal(kinds(off.pass(RUNNING)), ['remove-finalizer']);
  const failed = deleting(running());
  const d = failed.pass({ state: 'FAILED' });
  assert.equal(kinds(d), ['remove-finalizer']);
  assert.ok(reasons(d).includes('FinalSavepointSkipped'));
});

const failures = suite('decide: failures');

failures(
  'a deleted JobManager Deployment is recreated with the same plan (resumes from its checkpoint)',
  () => {
    const sim = running();
    const hash = sim.job.status!.deployment!.planHash;
    const d = sim.pass({ jmExists: false, reachable: false });
    const apply = find(d, 'apply-children')!;
    assert.is(apply.planHash, hash);
    assert.ok(reasons(d).includes('RecoverDeployment'));
  },
);

failures(
  'a JobManager unreachable for 2 minutes turns the StreamJob Degraded; answering again clears it',
  () => {
    const sim = running();
    assert.is(condition(sim.pass({ reachable: false }), 'Degraded').status, 'False');
    const d = sim.pass({ reachable: false }, 120_000);
    assert.is(condition(d, 'Degraded').reason, 'JobManagerUnreachable');
    assert.match(condition(d, 'Degraded').message, 'unreachable for 120 s (connect ECONNREFUSED)');
    assert.ok(reasons(d).includes('JobManagerUnreachable'));
    const back = sim.pass(RUNNING);
    assert.is(condition(back, 'Degraded').status, 'False');
    assert.is(back.status.job!.unreachableSince, undefined);
  },
);

failures('a crash-looping JobManager is reported (Degraded, event), not hidden', () => {
  const sim = running();
  const d = sim.pass({
    reachable: false,
    jmProblem: 'CrashLoopBackOff: back-off restarting failed container',
  });
  assert.is(condition(d, 'Degraded').reason, 'JobManagerFailing');
  assert.ok(reasons(d).includes('JobManagerFailing'));
  assert.is(d.status.job!.state, 'RECONCILING');
});

for (const s of [first, validation, upgrade, modes, suspend, savepoints, deletion, failures]) s.run();
