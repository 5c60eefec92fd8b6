// The whole operator's judgement, without I/O: from a StreamJob (spec and status), what one pass observed,
// and the time, decide the actions and the next status. Rules (Flink operator's safety rules kept):
// - the spec is validated first; an invalid spec never reaches the pods (Degraded, last valid spec kept);
// - a change is classified per field (ignore < scale < upgrade); scale and upgrade redeploy through the
//   upgrade mode: savepoint (stop-with-savepoint), last-state (latest checkpoint), stateless (fresh start);
// - the savepoint an upgrade restores from is recorded in status one pass before any pod changes;
// - never fall back to empty state silently: a savepoint that cannot be taken falls back to the latest
//   checkpoint if there is one, and otherwise the upgrade waits, Degraded, saying what the user can do;
// - savepoints are asynchronous (trigger, then poll each pass, bounded by spec.savepoints.timeout);
// - deletion takes a final savepoint (finalizer), bounded by the same timeout, then lets go.
import { createHash } from 'node:crypto';
import { FINALIZER, SKIP_FINAL_SAVEPOINT_ANNOTATION, type StreamJob } from '../api/stream-job.ts';
import type { StreamJobSpec } from '../api/stream-job-spec.ts';
import type { PendingSavepoint, SavepointKind, StreamJobStatus, Upgrade } from '../api/stream-job-status.ts';
import { lifecycleOf, setCondition } from './conditions.ts';
import type { Action, Decision, DeploymentPlan } from './decision.ts';
import { deploymentJobId, savepointTriggerId } from './deterministic-ids.ts';
import { parseDuration } from './duration.ts';
import type { Observation } from './observation.ts';
import { retainHistory } from './savepoint-history.ts';
import { diffSpecs } from './spec-diff.ts';
import { checkSpec, effectiveParallelism, taskManagerReplicas } from './validate-spec.ts';

export type DecideOptions = {
  /** Poll interval while a savepoint or an upgrade is in flight. */
  readonly pollMs: number;
  /** Resync interval otherwise (observing job state and checkpoints). */
  readonly resyncMs: number;
  /** First retry delay of a failed upgrade savepoint; doubles per attempt up to 5 minutes. */
  readonly retryBaseMs: number;
};

export const DEFAULT_DECIDE_OPTIONS: DecideOptions = { pollMs: 2000, resyncMs: 15_000, retryBaseMs: 10_000 };

export type DecideInput = {
  readonly job: StreamJob;
  readonly observed: Observation;
  readonly now: number;
  readonly options?: DecideOptions;
};

/** A JobManager that does not answer for this long turns the StreamJob Degraded. */
const UNREACHABLE_DEGRADED_MS = 120_000;

const NOT_RUNNING_STATES = new Set(['FAILED', 'FINISHED', 'CANCELED', 'SUSPENDED']);

export function planHash(spec: StreamJobSpec, plan: DeploymentPlan): string {
  return createHash('sha256').update(JSON.stringify({ spec, plan })).digest('hex').slice(0, 16);
}

/** Applies the children for a plan and records it in status.deployment (with the hash the pods carry). */
function deploy(pass: Pass, spec: StreamJobSpec, plan: DeploymentPlan): void {
  const hash = planHash(spec, plan);
  pass.actions.push({ kind: 'apply-children', spec, plan, planHash: hash });
  pass.status.deployment = {
    jobId: plan.jobId,
    mode: plan.mode,
    requireCheckpoint: plan.requireCheckpoint,
    running: plan.running,
    generation: plan.generation,
    planHash: hash,
    deployedAt: pass.now,
    ...(plan.restoreFrom === undefined ? {} : { restoreFrom: plan.restoreFrom }),
  };
}

/** A pass in progress: the status being built and the actions collected. */
class Pass {
  readonly actions: Action[] = [];
  status: StreamJobStatus;
  requeueAfterMs: number;
  degraded: { reason: string; message: string } | undefined;
  progressing: { reason: string; message: string } | undefined;
  /** Set when this pass recorded something that must be persisted before the next step (write-ahead). */
  settled = false;

  readonly input: DecideInput;
  readonly options: DecideOptions;

  constructor(input: DecideInput, options: DecideOptions) {
    this.input = input;
    this.options = options;
    this.status = structuredClone(input.job.status ?? {});
    this.requeueAfterMs = options.resyncMs;
  }

  get meta() {
    return this.input.job.metadata;
  }
  get now() {
    return this.input.now;
  }
  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.actions.push({ kind: 'event', type, reason, message });
  }
  poll(ms = this.options.pollMs): void {
    this.requeueAfterMs = Math.min(this.requeueAfterMs, ms);
  }
  jobState(): string | undefined {
    return this.status.job?.state;
  }
  setJob(patch: Partial<NonNullable<StreamJobStatus['job']>>): void {
    this.status.job = { ...this.status.job, ...patch };
  }
}

export function decide(input: DecideInput): Decision {
  const pass = new Pass(input, input.options ?? DEFAULT_DECIDE_OPTIONS);
  const { job } = input;
  const deployed = parseStoredSpec(pass.status.lastReconciledSpec);
  const check = checkSpec(job.spec, deployed);
  const valid = check.ok ? check.spec : undefined;
  if (!check.ok) {
    const message = check.problems.map((p) => p.message).join('; ');
    pass.degraded = { reason: 'InvalidSpec', message };
    if (pass.status.error !== message) pass.event('Warning', 'ValidationError', message);
  }
  observe(pass);
  const deleting = job.metadata.deletionTimestamp !== undefined;
  if (deleting) decideDeletion(pass, valid ?? deployed);
  else {
    if (!(job.metadata.finalizers ?? []).includes(FINALIZER)) pass.actions.push({ kind: 'add-finalizer' });
    resolvePendingSavepoint(pass, valid ?? deployed);
    decideRunning(pass, valid, deployed);
  }
  return finish(pass, deleting, valid ?? deployed);
}

function parseStoredSpec(json: string | undefined): StreamJobSpec | undefined {
  return json === undefined ? undefined : (JSON.parse(json) as StreamJobSpec);
}

/** Folds what was observed into the status: job state, latest checkpoint, JobManager problems. */
function observe(pass: Pass): void {
  const { observed } = pass.input;
  const rest = observed.rest;
  const before = pass.jobState();
  if (rest === undefined) {
    if (pass.status.deployment?.jobId === undefined) return;
  } else if (rest.reachable) {
    pass.setJob({ state: rest.jobState ?? 'RECONCILING', unreachableSince: undefined });
    if (rest.lastCheckpoint !== undefined) pass.setJob({ lastCheckpoint: rest.lastCheckpoint });
  } else if (observed.jobManager.exists && pass.status.deployment !== undefined) {
    const since = pass.status.job?.unreachableSince ?? pass.now;
    pass.setJob({ state: 'RECONCILING', unreachableSince: since });
    if (pass.now - since >= UNREACHABLE_DEGRADED_MS) {
      const message = `JobManager REST API unreachable for ${Math.round((pass.now - since) / 1000)} s (${rest.error}); check the JobManager pod and its Service`;
      if (!pass.status.error?.startsWith('JobManager REST API unreachable'))
        pass.event('Warning', 'JobManagerUnreachable', message);
      pass.degraded ??= { reason: 'JobManagerUnreachable', message };
    }
  }
  if (before !== undefined && pass.jobState() !== before && pass.jobState() !== 'RECONCILING')
    pass.event(
      'Normal',
      'JobStatusChanged',
      `Job ${pass.status.deployment?.jobId ?? ''} is ${pass.jobState()} (was ${before})`,
    );
  if (observed.jobManagerProblem !== undefined) {
    const message = `JobManager cannot run: ${observed.jobManagerProblem}`;
    if (pass.status.error !== message) pass.event('Warning', 'JobManagerFailing', message);
    pass.degraded ??= { reason: 'JobManagerFailing', message };
  }
}

function savepointTimeoutMs(spec: StreamJobSpec | undefined): number {
  return parseDuration(spec?.savepoints.timeout ?? '10m');
}

/** Completes, fails or keeps waiting for the savepoint recorded in status.pendingSavepoint. */
function resolvePendingSavepoint(pass: Pass, spec: StreamJobSpec | undefined): void {
  const pending = pass.status.pendingSavepoint;
  if (pending === undefined) return;
  const rest = pass.input.observed.rest;
  const poll = rest?.reachable ? rest.savepoint : undefined;
  const timedOut = pass.now - pending.startedAt > savepointTimeoutMs(spec);
  if (poll?.state === 'completed') {
    pass.status.pendingSavepoint = undefined;
    const record = { path: poll.location, timestamp: pass.now, kind: pending.kind, jobId: pending.jobId };
    pass.setJob({ lastSavepoint: record });
    if (pending.nonce !== undefined) pass.setJob({ lastSavepointNonce: pending.nonce });
    const maxAge = parseDuration(spec?.savepoints.historyMaxAge ?? '24h');
    pass.status.savepointHistory = retainHistory(
      pass.status.savepointHistory ?? [],
      record,
      spec?.savepoints.historyMaxCount ?? 10,
      maxAge,
      pass.now,
    );
    pass.event('Normal', 'SavepointCompleted', `${pending.kind} savepoint completed: ${poll.location}`);
    if (pending.kind === 'upgrade' && pass.status.upgrade !== undefined) {
      // Recorded before any pod changes: the next pass deploys from it.
      pass.status.upgrade = { ...pass.status.upgrade, phase: 'deploying', restoreFrom: poll.location };
      pass.setJob({ upgradeSavepointPath: poll.location });
      pass.settled = true;
      pass.poll(0);
    }
    return;
  }
  if (poll?.state === 'failed' || poll?.state === 'unknown' || timedOut) {
    pass.status.pendingSavepoint = undefined;
    const why =
      poll?.state === 'failed'
        ? poll.message
        : poll?.state === 'unknown'
          ? 'the JobManager no longer knows the request (it restarted)'
          : `no result within spec.savepoints.timeout (${spec?.savepoints.timeout ?? '10m'})`;
    const message = `${pending.kind} savepoint ${pending.triggerId} failed: ${why}`;
    pass.event('Warning', 'SavepointFailed', message);
    if (pending.nonce !== undefined) pass.setJob({ lastSavepointNonce: pending.nonce });
    if (pending.kind === 'upgrade' && pass.status.upgrade !== undefined) {
      const attempt = pass.status.upgrade.attempt + 1;
      const delay = Math.min(300_000, pass.options.retryBaseMs * 2 ** (attempt - 1));
      pass.status.upgrade = { ...pass.status.upgrade, attempt, retryAt: pass.now + delay };
      pass.status.error = `${message}; the job keeps running its previous spec and the upgrade is retried in ${Math.round(delay / 1000)} s (or set spec.job.upgradeMode: last-state to upgrade from the latest checkpoint)`;
      pass.degraded = { reason: 'SavepointFailed', message: pass.status.error };
    }
    if (pending.kind === 'periodic') pass.setJob({ lastPeriodicSavepointAt: pass.now });
    return;
  }
  pass.progressing ??= {
    reason: 'Savepointing',
    message: `waiting for the ${pending.kind} savepoint ${pending.triggerId}`,
  };
  pass.poll();
}

function triggerSavepoint(
  pass: Pass,
  spec: StreamJobSpec,
  kind: SavepointKind,
  purpose: string,
  stop: boolean,
  nonce?: number,
): void {
  const jobId = pass.status.deployment!.jobId;
  const triggerId = savepointTriggerId(pass.meta.uid, purpose);
  const pending: PendingSavepoint = {
    kind,
    triggerId,
    jobId,
    stop,
    startedAt: pass.now,
    ...(nonce === undefined ? {} : { nonce }),
  };
  pass.status.pendingSavepoint = pending;
  pass.actions.push({
    kind: 'trigger-savepoint',
    jobId,
    triggerId,
    directory: spec.savepoints.directory!,
    stop,
  });
  pass.event(
    'Normal',
    'SavepointTriggered',
    `${stop ? 'stop-with-savepoint' : 'savepoint'} (${kind}) of job ${jobId} triggered into ${spec.savepoints.directory}`,
  );
  pass.progressing = { reason: 'Savepointing', message: `waiting for the ${kind} savepoint ${triggerId}` };
  pass.poll();
}

function decideRunning(
  pass: Pass,
  valid: StreamJobSpec | undefined,
  deployed: StreamJobSpec | undefined,
): void {
  const status = pass.status;
  if (status.pendingSavepoint !== undefined || pass.settled) return; // one thing at a time; write-ahead first
  if (status.upgrade !== undefined) {
    // An invalid edit during an upgrade: finish the upgrade towards its recorded (valid) target.
    continueUpgrade(pass, valid ?? (JSON.parse(status.upgrade.targetSpec) as StreamJobSpec));
    return;
  }
  if (valid === undefined) return; // invalid spec: stay on the deployed one (or nothing)
  if (deployed === undefined) {
    firstDeployment(pass, valid);
    return;
  }
  const wasSuspended = deployed.job.state === 'suspended';
  const wantsSuspended = valid.job.state === 'suspended';
  const diff = diffSpecs(deployed, valid);
  if (wasSuspended && !wantsSuspended) {
    startUpgrade(pass, valid, 'Resuming', 'resume');
    return;
  }
  if (!wasSuspended && wantsSuspended) {
    startUpgrade(pass, valid, 'Suspending', 'suspend');
    return;
  }
  if (diff.class === 'upgrade' || diff.class === 'scale') {
    if (wasSuspended) {
      // Nothing runs: record the new spec, it is used on resume.
      status.lastReconciledSpec = JSON.stringify(valid);
      status.lastReconciledGeneration = pass.meta.generation;
      return;
    }
    const what =
      diff.class === 'scale'
        ? `rescale from parallelism ${effectiveParallelism(deployed)} to ${effectiveParallelism(valid)}`
        : `upgrade (${diff.fields.join(', ')})`;
    pass.event(
      'Normal',
      diff.class === 'scale' ? 'Scaling' : 'SpecChanged',
      `${what} through ${valid.job.upgradeMode}`,
    );
    startUpgrade(pass, valid, diff.class === 'scale' ? 'Scaling' : 'Upgrading', diff.class);
    return;
  }
  if (diff.class === 'ignore') {
    status.lastReconciledSpec = JSON.stringify(valid);
    status.lastReconciledGeneration = pass.meta.generation;
  }
  steadyState(pass, valid);
}

function firstDeployment(pass: Pass, spec: StreamJobSpec): void {
  const status = pass.status;
  status.lastReconciledSpec = JSON.stringify(spec);
  status.lastReconciledGeneration = pass.meta.generation;
  const jobId = deploymentJobId(pass.meta.uid, pass.meta.generation, 0);
  const running = spec.job.state === 'running';
  const plan: DeploymentPlan = {
    jobId,
    restoreFrom: spec.job.initialSavepointPath,
    mode: spec.job.upgradeMode,
    requireCheckpoint: false,
    running,
    generation: pass.meta.generation,
  };
  deploy(pass, spec, plan);
  pass.setJob({ jobId, state: running ? 'RECONCILING' : 'SUSPENDED' });
  pass.event(
    'Normal',
    running ? 'Submit' : 'Suspended',
    running
      ? `Deploying job ${jobId} at parallelism ${effectiveParallelism(spec)}${plan.restoreFrom ? ` from ${plan.restoreFrom}` : ''}`
      : 'Created suspended: nothing runs until spec.job.state is running',
  );
  pass.poll();
}

function startUpgrade(pass: Pass, target: StreamJobSpec, reason: string, what: string): void {
  const upgrade: Upgrade = {
    phase: 'savepointing',
    mode: target.job.upgradeMode,
    targetSpec: JSON.stringify(target),
    targetGeneration: pass.meta.generation,
    attempt: 0,
    startedAt: pass.now,
  };
  if (what === 'resume') {
    // Restore the way the job was suspended: from its suspend savepoint, its checkpoints, or empty.
    const mode = pass.status.deployment?.mode ?? target.job.upgradeMode;
    upgrade.phase = 'deploying';
    upgrade.mode = mode;
    const path = pass.status.job?.upgradeSavepointPath;
    // The suspend savepoint; or, for a job created suspended, what its first deployment named
    // (spec.job.initialSavepointPath).
    const restoreFrom = path ?? pass.status.deployment?.restoreFrom;
    if (mode === 'savepoint' && restoreFrom !== undefined) upgrade.restoreFrom = restoreFrom;
    pass.event(
      'Normal',
      'Resuming',
      `Resuming ${mode === 'stateless' ? 'from empty state (stateless)' : `from ${upgrade.restoreFrom ?? 'the latest checkpoint'}`}`,
    );
  } else if (what === 'suspend')
    pass.event('Normal', 'Suspending', `Suspending the job through ${upgrade.mode}`);
  pass.status.upgrade = upgrade;
  pass.progressing = { reason, message: `${what}: ${upgrade.phase}` };
  if (upgrade.phase === 'deploying') {
    pass.poll(0); // the restore source is recorded first; the next pass deploys
    return;
  }
  continueUpgrade(pass, target);
}

function continueUpgrade(pass: Pass, latest: StreamJobSpec): void {
  const status = pass.status;
  const upgrade = status.upgrade!;
  pass.progressing ??= { reason: 'Upgrading', message: `upgrade: ${upgrade.phase}` };
  if (upgrade.retryAt !== undefined && pass.now < upgrade.retryAt) {
    if (status.error !== undefined)
      pass.degraded = {
        reason: status.error.startsWith('The upgrade waits') ? 'UpgradeBlocked' : 'SavepointFailed',
        message: status.error,
      };
    pass.poll(upgrade.retryAt - pass.now);
    return;
  }
  if (upgrade.phase === 'savepointing') {
    stopForUpgrade(pass, latest, upgrade);
    return;
  }
  deployUpgrade(pass, latest, upgrade);
}

/** Stops the running job in the upgrade's mode; moves to `deploying` when its state is secured. */
function stopForUpgrade(pass: Pass, latest: StreamJobSpec, upgrade: Upgrade): void {
  const state = pass.jobState();
  const lastCheckpoint = pass.status.job?.lastCheckpoint;
  const toDeploying = (patch: Partial<Upgrade>) => {
    pass.status.upgrade = { ...upgrade, ...patch, phase: 'deploying', retryAt: undefined };
    pass.poll(0);
  };
  if (upgrade.mode === 'stateless') {
    toDeploying({});
    return;
  }
  if (upgrade.mode === 'last-state') {
    if (lastCheckpoint !== undefined) {
      toDeploying({});
      return;
    }
    if (state === 'RUNNING' && latest.savepoints.directory !== undefined) {
      pass.event(
        'Warning',
        'LastStateWithoutCheckpoint',
        'No completed checkpoint yet: taking a savepoint instead',
      );
      savepointForUpgrade(pass, latest, { ...upgrade, mode: 'savepoint' });
      return;
    }
    blockUpgrade(pass, upgrade, 'no completed checkpoint is known yet, so last-state has nothing to restore');
    return;
  }
  // savepoint mode
  if (state === 'RUNNING') {
    savepointForUpgrade(pass, latest, upgrade);
    return;
  }
  const transient =
    state === undefined ||
    state === 'RECONCILING' ||
    state === 'CREATED' ||
    state === 'RESTARTING' ||
    state === 'INITIALIZING';
  const waitedOut = pass.now - upgrade.startedAt > savepointTimeoutMs(latest);
  if (transient && !waitedOut) {
    pass.progressing = {
      reason: 'WaitingForJob',
      message: `waiting for the job to run (${state ?? 'unknown'}) to take the upgrade savepoint`,
    };
    pass.poll();
    return;
  }
  if (lastCheckpoint !== undefined && latest.checkpointing !== undefined) {
    pass.event(
      'Warning',
      'LastStateFallback',
      `Job is ${state ?? 'unreachable'}: no savepoint possible; upgrading from the latest checkpoint ${lastCheckpoint.id}`,
    );
    toDeploying({ mode: 'last-state' });
    return;
  }
  blockUpgrade(
    pass,
    upgrade,
    `the job is ${state ?? 'unreachable'}, so no savepoint can be taken, and no checkpoint is known`,
  );
}

function savepointForUpgrade(pass: Pass, spec: StreamJobSpec, upgrade: Upgrade): void {
  pass.status.upgrade = { ...upgrade, retryAt: undefined };
  triggerSavepoint(pass, spec, 'upgrade', `upgrade/${upgrade.targetGeneration}/${upgrade.attempt}`, true);
}

function blockUpgrade(pass: Pass, upgrade: Upgrade, why: string): void {
  const message = `The upgrade waits: ${why}. Riffle never starts from empty state on its own: to restore a savepoint set spec.job.initialSavepointPath and change spec.restartNonce with upgradeMode stateless; to accept empty state set spec.job.upgradeMode: stateless`;
  if (pass.status.error !== message) pass.event('Warning', 'UpgradeBlocked', message);
  pass.status.error = message;
  pass.degraded = { reason: 'UpgradeBlocked', message };
  pass.status.upgrade = { ...upgrade, retryAt: pass.now + pass.options.resyncMs };
  pass.poll(pass.options.resyncMs);
}

/** Applies the latest valid spec from the secured state; the restore source was recorded a pass earlier. */
function deployUpgrade(pass: Pass, latest: StreamJobSpec, upgrade: Upgrade): void {
  const status = pass.status;
  const previous = status.deployment;
  const keepJob = upgrade.mode === 'last-state' && previous !== undefined;
  const jobId = keepJob
    ? previous.jobId
    : deploymentJobId(pass.meta.uid, upgrade.targetGeneration, upgrade.attempt + 1);
  const restoreFrom =
    upgrade.mode === 'stateless' ? undefined : keepJob ? previous.restoreFrom : upgrade.restoreFrom;
  const running = latest.job.state === 'running';
  const plan: DeploymentPlan = {
    jobId,
    restoreFrom,
    mode: upgrade.mode,
    requireCheckpoint: keepJob && status.job?.lastCheckpoint !== undefined,
    running,
    generation: pass.meta.generation,
  };
  deploy(pass, latest, plan);
  status.lastReconciledSpec = JSON.stringify(latest);
  status.lastReconciledGeneration = pass.meta.generation;
  status.upgrade = undefined;
  if (status.error?.startsWith('The upgrade waits') || status.error?.includes('savepoint'))
    status.error = undefined;
  pass.setJob({ jobId, state: running ? 'RECONCILING' : 'SUSPENDED' });
  pass.event(
    'Normal',
    running ? 'Deployed' : 'Suspended',
    running
      ? `Deployed job ${jobId} at parallelism ${effectiveParallelism(latest)} (${upgrade.mode}${restoreFrom ? `, from ${restoreFrom}` : keepJob ? ', from the latest checkpoint' : ', empty state'})`
      : `Suspended${restoreFrom ? `; resumes from ${restoreFrom}` : ''}`,
  );
  pass.progressing = running
    ? { reason: 'Deploying', message: `waiting for job ${jobId} to run` }
    : undefined;
  pass.poll();
}

/** Nothing to change: keep the children as planned, take manual and periodic savepoints, mark stability. */
function steadyState(pass: Pass, spec: StreamJobSpec): void {
  const status = pass.status;
  const deployment = status.deployment;
  if (deployment === undefined) return;
  const running = deployment.running;
  const { jobManager, taskManager } = pass.input.observed;
  const jmHash = jobManager.exists ? jobManager.planHash : undefined;
  const tmHash = taskManager.exists ? taskManager.planHash : undefined;
  if (jmHash !== deployment.planHash || tmHash !== deployment.planHash) {
    // (not right after a deployment: the informer cache may not have seen the new Deployment yet)
    if (!jobManager.exists && running && (taskManager.exists || pass.now - deployment.deployedAt > 10_000))
      pass.event(
        'Warning',
        'RecoverDeployment',
        `JobManager Deployment missing: recreating it; job ${deployment.jobId} resumes from its latest checkpoint`,
      );
    const plan: DeploymentPlan = {
      jobId: deployment.jobId,
      restoreFrom: deployment.restoreFrom,
      mode: deployment.mode,
      requireCheckpoint: deployment.requireCheckpoint,
      running,
      generation: deployment.generation,
    };
    pass.actions.push({ kind: 'apply-children', spec, plan, planHash: deployment.planHash });
    pass.poll();
  }
  if (!running) return;
  const state = pass.jobState();
  if (state === 'RUNNING') {
    if (status.lastStableSpec !== status.lastReconciledSpec)
      pass.event(
        'Normal',
        'Stable',
        `Job ${deployment.jobId} runs the spec of generation ${status.lastReconciledGeneration}`,
      );
    status.lastStableSpec = status.lastReconciledSpec;
    const nonce = spec.job.savepointTriggerNonce;
    if (
      nonce !== undefined &&
      nonce !== status.job?.lastSavepointNonce &&
      spec.savepoints.directory !== undefined
    ) {
      triggerSavepoint(pass, spec, 'manual', `manual/${nonce}`, false, nonce);
      return;
    }
    const interval = spec.savepoints.periodicInterval;
    if (interval !== undefined && spec.savepoints.directory !== undefined) {
      const ms = parseDuration(interval);
      const last = status.job?.lastPeriodicSavepointAt ?? deployment.deployedAt;
      if (pass.now - last >= ms) {
        pass.setJob({ lastPeriodicSavepointAt: pass.now });
        triggerSavepoint(pass, spec, 'periodic', `periodic/${pass.now}`, false);
        return;
      }
      pass.poll(last + ms - pass.now);
    }
  } else if (state !== undefined && !NOT_RUNNING_STATES.has(state)) {
    pass.progressing ??= { reason: 'Deploying', message: `job ${deployment.jobId} is ${state}` };
    // Poll fast right after a deployment, then back off towards the resync interval.
    pass.poll(Math.max(pass.options.pollMs, pass.now - deployment.deployedAt));
  }
}

function decideDeletion(pass: Pass, spec: StreamJobSpec | undefined): void {
  const meta = pass.meta;
  if (!(meta.finalizers ?? []).includes(FINALIZER)) return;
  const release = (type: 'Normal' | 'Warning', reason: string, message: string) => {
    pass.event(type, reason, message);
    pass.actions.push({ kind: 'remove-finalizer' });
  };
  const pending = pass.status.pendingSavepoint;
  if (pending !== undefined) {
    const before = pass.status.job?.lastSavepoint?.path;
    resolvePendingSavepoint(pass, spec);
    const after = pass.status.job?.lastSavepoint?.path;
    if (pass.status.pendingSavepoint !== undefined) return; // still waiting (bounded by the timeout)
    if (pending.stop && after !== undefined && after !== before) {
      release('Normal', 'FinalSavepoint', `Final savepoint ${after}; deleting the job`);
      return;
    }
    if (pending.kind === 'delete') {
      release(
        'Warning',
        'FinalSavepointFailed',
        `Final savepoint failed; deleting without it. Latest checkpoint: ${pass.status.job?.lastCheckpoint?.path ?? 'none'}`,
      );
      return;
    }
  }
  const upgradeSavepoint = pass.status.upgrade?.restoreFrom;
  if (upgradeSavepoint !== undefined) {
    // Deleted between an upgrade's savepoint and its deployment: the job is already stopped with state saved.
    release(
      'Normal',
      'FinalSavepoint',
      `Final savepoint ${upgradeSavepoint} (taken for an upgrade); deleting the job`,
    );
    return;
  }
  const skipAnnotation = meta.annotations?.[SKIP_FINAL_SAVEPOINT_ANNOTATION] === 'true';
  if (spec === undefined || pass.status.deployment === undefined || spec.job.state === 'suspended') {
    release('Normal', 'Deleting', 'Nothing runs: deleting');
    return;
  }
  if (!spec.savepoints.onDelete || skipAnnotation) {
    release(
      'Normal',
      'Deleting',
      `Final savepoint disabled (${skipAnnotation ? SKIP_FINAL_SAVEPOINT_ANNOTATION : 'spec.savepoints.onDelete: false'}); deleting`,
    );
    return;
  }
  if (spec.savepoints.directory === undefined) {
    release(
      'Warning',
      'FinalSavepointSkipped',
      'No spec.savepoints.directory: deleting without a final savepoint',
    );
    return;
  }
  const state = pass.jobState();
  if (state === 'RUNNING') {
    triggerSavepoint(pass, spec, 'delete', `delete/${meta.deletionTimestamp}`, true);
    return;
  }
  const since = Date.parse(meta.deletionTimestamp!);
  if (
    (state === undefined || state === 'RECONCILING' || state === 'RESTARTING') &&
    pass.now - since < savepointTimeoutMs(spec)
  ) {
    pass.progressing = {
      reason: 'Deleting',
      message: `waiting for the job (${state ?? 'unknown'}) to take a final savepoint`,
    };
    pass.poll();
    return;
  }
  release(
    'Warning',
    'FinalSavepointSkipped',
    `Job is ${state ?? 'unreachable'}: deleting without a final savepoint. Latest checkpoint: ${pass.status.job?.lastCheckpoint?.path ?? 'none'}`,
  );
}

function finish(pass: Pass, deleting: boolean, spec: StreamJobSpec | undefined): Decision {
  const status = pass.status;
  const { generation } = pass.meta;
  const now = pass.now;
  if (pass.degraded === undefined && status.upgrade?.retryAt === undefined) status.error = undefined;
  else if (pass.degraded !== undefined) status.error = pass.degraded.message;
  status.observedGeneration = generation;
  const reconciled = parseStoredSpec(status.lastReconciledSpec);
  const suspended = reconciled?.job.state === 'suspended' && status.upgrade === undefined;
  status.lifecycleState = lifecycleOf(status, deleting, suspended);
  if (spec !== undefined && reconciled !== undefined) {
    status.parallelism = effectiveParallelism(reconciled);
    status.taskManager = {
      replicas: suspended ? 0 : taskManagerReplicas(reconciled),
      labelSelector: `riffle.dev/streamjob=${pass.meta.name},riffle.dev/component=taskmanager`,
    };
  }
  const ready = status.job?.state === 'RUNNING' && status.upgrade === undefined && !deleting;
  status.conditions = setCondition(
    status.conditions,
    'Ready',
    ready
      ? { status: 'True', reason: 'JobRunning', message: `job ${status.deployment?.jobId} is RUNNING` }
      : {
          status: 'False',
          reason: suspended ? 'Suspended' : (status.lifecycleState ?? 'Created'),
          message: `job is ${status.job?.state ?? 'not deployed'}`,
        },
    generation,
    now,
  );
  status.conditions = setCondition(
    status.conditions,
    'Progressing',
    pass.progressing !== undefined
      ? { status: 'True', ...pass.progressing }
      : { status: 'False', reason: 'Reconciled', message: 'nothing in flight' },
    generation,
    now,
  );
  status.conditions = setCondition(
    status.conditions,
    'Degraded',
    pass.degraded !== undefined
      ? { status: 'True', ...pass.degraded }
      : { status: 'False', reason: 'Healthy', message: 'no problems' },
    generation,
    now,
  );
  return { actions: pass.actions, status, requeueAfterMs: Math.max(0, pass.requeueAfterMs) };
}
