// StreamJob.status: written only by the operator, one patch per reconcile pass. It is also the operator's
// write-ahead log: the spec being deployed, the pending savepoint (with the trigger id the JobManager knows it
// by) and the savepoint an upgrade restores from are recorded here before the pods change, so a restarted
// operator continues exactly where its predecessor stopped.
import { z } from 'zod';

export const LifecycleState = z.enum([
  'CREATED',
  'DEPLOYED',
  'STABLE',
  'UPGRADING',
  'SUSPENDED',
  'FAILED',
  'DELETING',
]);
export type LifecycleState = z.output<typeof LifecycleState>;

export const ConditionType = z.enum(['Ready', 'Progressing', 'Degraded']);
export type ConditionType = z.output<typeof ConditionType>;

export const Condition = z.object({
  type: ConditionType,
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
  observedGeneration: z.number().int().optional(),
});
export type Condition = z.output<typeof Condition>;

export const SavepointKind = z.enum(['manual', 'periodic', 'upgrade', 'delete']);
export type SavepointKind = z.output<typeof SavepointKind>;

export const SavepointRecord = z.object({
  path: z.string(),
  timestamp: z.number().int(),
  kind: SavepointKind,
  jobId: z.string().optional(),
});
export type SavepointRecord = z.output<typeof SavepointRecord>;

export const CheckpointRecord = z.object({
  id: z.number().int(),
  path: z.string().optional(),
  timestamp: z.number().int(),
});
export type CheckpointRecord = z.output<typeof CheckpointRecord>;

/** A savepoint the operator asked the JobManager for and still waits on. */
export const PendingSavepoint = z.object({
  kind: SavepointKind,
  triggerId: z.string(),
  jobId: z.string(),
  /** stop-with-savepoint (upgrade, suspend, delete) rather than a savepoint of a running job. */
  stop: z.boolean(),
  startedAt: z.number().int(),
  nonce: z.number().int().optional(),
});
export type PendingSavepoint = z.output<typeof PendingSavepoint>;

/** An upgrade (or rescale, suspend, resume) in flight: the write-ahead record. */
export const Upgrade = z.object({
  /** savepointing → deploying; the target spec (JSON) is what will be deployed. */
  phase: z.enum(['savepointing', 'deploying']),
  mode: z.enum(['stateless', 'savepoint', 'last-state']),
  targetSpec: z.string(),
  targetGeneration: z.number().int(),
  attempt: z.number().int(),
  startedAt: z.number().int(),
  /** Where the new deployment restores from: set before any pod changes. */
  restoreFrom: z.string().optional(),
  retryAt: z.number().int().optional(),
});
export type Upgrade = z.output<typeof Upgrade>;

export const JobStatusInfo = z.object({
  jobId: z.string().optional(),
  state: z.string().optional(),
  lastCheckpoint: CheckpointRecord.optional(),
  lastSavepoint: SavepointRecord.optional(),
  upgradeSavepointPath: z.string().optional(),
  lastSavepointNonce: z.number().int().optional(),
  lastPeriodicSavepointAt: z.number().int().optional(),
  /** Since when the JobManager's REST API has not answered (cleared when it answers). */
  unreachableSince: z.number().int().optional(),
});
export type JobStatusInfo = z.output<typeof JobStatusInfo>;

export const StreamJobStatus = z.object({
  lifecycleState: LifecycleState.optional(),
  observedGeneration: z.number().int().optional(),
  conditions: z.array(Condition).optional(),
  job: JobStatusInfo.optional(),
  savepointHistory: z.array(SavepointRecord).optional(),
  pendingSavepoint: PendingSavepoint.optional(),
  upgrade: Upgrade.optional(),
  /** JSON of the spec the pods currently run (after validation and defaults). */
  lastReconciledSpec: z.string().optional(),
  lastReconciledGeneration: z.number().int().optional(),
  /** JSON of the last spec that was observed running. */
  lastStableSpec: z.string().optional(),
  /** How the running deployment restores: the job id and the source the JobManager was started from. */
  deployment: z
    .object({
      jobId: z.string(),
      restoreFrom: z.string().optional(),
      mode: z.enum(['stateless', 'savepoint', 'last-state']),
      requireCheckpoint: z.boolean(),
      running: z.boolean(),
      generation: z.number().int(),
      /** Annotated on the children: tells whether the pods run this deployment. */
      planHash: z.string(),
      deployedAt: z.number().int(),
    })
    .optional(),
  taskManager: z.object({ replicas: z.number().int(), labelSelector: z.string() }).optional(),
  parallelism: z.number().int().optional(),
  error: z.string().optional(),
});
export type StreamJobStatus = z.output<typeof StreamJobStatus>;
