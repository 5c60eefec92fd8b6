// Turns the raw spec of a StreamJob into a valid one, or an error naming the field and the fix. Structural
// errors are mostly refused by the CRD schema at `kubectl apply`; the semantic rules below (a combination of
// fields, or a change the job's state cannot survive) can only be checked here. An invalid spec never
// reaches the pods: the job keeps running on its last valid spec and the StreamJob turns Degraded.
import { StreamJobSpec } from '../api/stream-job-spec.ts';

export type SpecProblem = { readonly field: string; readonly message: string };
export type SpecCheck = { ok: true; spec: StreamJobSpec } | { ok: false; problems: SpecProblem[] };

const DEFAULT_MAX_PARALLELISM = 128;

/** Parallelism the job runs with: taskManager.replicas × slots when replicas is set (as Flink's operator). */
export function effectiveParallelism(spec: StreamJobSpec): number {
  const tm = spec.taskManager;
  if (tm.replicas !== undefined) return tm.replicas * tm.slots;
  return spec.job.parallelism ?? tm.slots;
}

export function taskManagerReplicas(spec: StreamJobSpec): number {
  return spec.taskManager.replicas ?? Math.ceil(effectiveParallelism(spec) / spec.taskManager.slots);
}

export function checkSpec(raw: unknown, deployed: StreamJobSpec | undefined): SpecCheck {
  const parsed = StreamJobSpec.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        field: ['spec', ...i.path.map(String)].join('.'),
        message: i.message,
      })),
    };
  }
  const spec = parsed.data;
  const problems: SpecProblem[] = [];
  const mode = spec.job.upgradeMode;
  const dir = spec.savepoints.directory;
  if (mode === 'savepoint' && dir === undefined)
    problems.push({
      field: 'spec.savepoints.directory',
      message:
        'spec.savepoints.directory is required by spec.job.upgradeMode: savepoint; set it (e.g. s3://bucket/savepoints), or choose upgradeMode last-state (needs spec.checkpointing) or stateless',
    });
  if (mode === 'last-state' && spec.checkpointing === undefined)
    problems.push({
      field: 'spec.checkpointing',
      message:
        'spec.checkpointing is required by spec.job.upgradeMode: last-state, which restores from the latest checkpoint; add spec.checkpointing.storage and interval, or choose upgradeMode savepoint',
    });
  if (spec.savepoints.periodicInterval !== undefined && dir === undefined)
    problems.push({
      field: 'spec.savepoints.periodicInterval',
      message:
        'spec.savepoints.periodicInterval needs spec.savepoints.directory; set the directory or remove the interval',
    });
  if (spec.job.savepointTriggerNonce !== undefined && dir === undefined)
    problems.push({
      field: 'spec.job.savepointTriggerNonce',
      message:
        'spec.job.savepointTriggerNonce asks for a savepoint, which needs spec.savepoints.directory; set it',
    });
  const maxParallelism = spec.job.maxParallelism ?? DEFAULT_MAX_PARALLELISM;
  const parallelism = effectiveParallelism(spec);
  if (parallelism > maxParallelism)
    problems.push({
      field: spec.taskManager.replicas !== undefined ? 'spec.taskManager.replicas' : 'spec.job.parallelism',
      message: `parallelism ${parallelism} exceeds spec.job.maxParallelism ${maxParallelism}; lower the parallelism (taskManager.replicas × slots) or raise maxParallelism before the job has state`,
    });
  if (
    deployed !== undefined &&
    mode !== 'stateless' &&
    (deployed.job.maxParallelism ?? DEFAULT_MAX_PARALLELISM) !== maxParallelism
  )
    problems.push({
      field: 'spec.job.maxParallelism',
      message: `spec.job.maxParallelism cannot change from ${deployed.job.maxParallelism ?? DEFAULT_MAX_PARALLELISM} to ${maxParallelism} for a job with state (its snapshots are split into that many key groups); restore it, or use upgradeMode stateless to start from empty state`,
    });
  return problems.length === 0 ? { ok: true, spec } : { ok: false, problems };
}
