// StreamJob.spec (riffle.dev/v1alpha1), defined once: the CRD's openAPIV3Schema is generated from these zod
// schemas (operator/src/crd), and the controller parses every object with them. Each field carries its diff
// class (`diff` in .meta): what a change of it costs the running job (see reconcile/spec-diff.ts).
import { z } from 'zod';

/** Go-style durations as Kubernetes users write them: 500ms, 30s, 5m, 1h, 1h30m. */
export const Duration = z
  .string()
  .regex(/^(\d+(ms|s|m|h))+$/, 'a duration such as 500ms, 30s, 5m, 1h or 1h30m');

export const UpgradeMode = z.enum(['stateless', 'savepoint', 'last-state']);
export type UpgradeMode = z.output<typeof UpgradeMode>;

export const DesiredJobState = z.enum(['running', 'suspended']);
export type DesiredJobState = z.output<typeof DesiredJobState>;

/** Free-form Kubernetes objects (resources, pod template overrides, runtime config) kept as written. */
const FreeForm = z.record(z.string(), z.unknown()).meta({ freeForm: true });

export const JobSpec = z.object({
  entryModule: z
    .string()
    .min(1)
    .describe('Path of the job module inside the image, e.g. examples/fraud-detection/job.ts')
    .meta({ diff: 'upgrade' }),
  args: z
    .array(z.string())
    .default([])
    .describe('Arguments passed to the job module')
    .meta({ diff: 'upgrade' }),
  parallelism: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Job parallelism; default taskManager.replicas × taskManager.slots')
    .meta({ diff: 'scale' }),
  maxParallelism: z
    .number()
    .int()
    .min(1)
    .max(32768)
    .optional()
    .describe('Number of key groups; fixed for the life of the job state')
    .meta({ diff: 'upgrade' }),
  upgradeMode: UpgradeMode.default('savepoint')
    .describe(
      'How state survives an upgrade: savepoint (stop-with-savepoint), last-state (latest checkpoint), stateless',
    )
    .meta({ diff: 'ignore' }),
  state: DesiredJobState.default('running').describe('Desired state of the job').meta({ diff: 'state' }),
  initialSavepointPath: z
    .string()
    .min(1)
    .optional()
    .describe('Savepoint to start from on the first deployment')
    .meta({ diff: 'ignore' }),
  allowNonRestoredState: z
    .boolean()
    .default(false)
    .describe('Drop state of operators the job no longer has instead of refusing the restore')
    .meta({ diff: 'ignore' }),
  savepointTriggerNonce: z
    .number()
    .int()
    .optional()
    .describe('Change to take a manual savepoint')
    .meta({ diff: 'ignore' }),
});

export const Resources = z
  .object({ limits: FreeForm.optional(), requests: FreeForm.optional() })
  .describe('Container resources (Kubernetes ResourceRequirements)');

export const JobManagerSpec = z.object({
  replicas: z
    .number()
    .int()
    .min(1)
    .max(1)
    .default(1)
    .describe('JobManager replicas (1)')
    .meta({ diff: 'upgrade' }),
  port: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(8081)
    .describe('REST port of the JobManager')
    .meta({ diff: 'upgrade' }),
  resources: Resources.optional().meta({ diff: 'upgrade' }),
  podTemplate: FreeForm.optional()
    .describe('Pod template merged over the generated one (metadata, spec)')
    .meta({ diff: 'upgrade' }),
});

export const TaskManagerSpec = z.object({
  replicas: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('TaskManager pods; default ceil(job.parallelism / slots). The scale subresource sets it')
    .meta({ diff: 'scale' }),
  slots: z.number().int().min(1).default(1).describe('Task slots per TaskManager').meta({ diff: 'scale' }),
  resources: Resources.optional().meta({ diff: 'upgrade' }),
  podTemplate: FreeForm.optional()
    .describe('Pod template merged over the generated one (metadata, spec)')
    .meta({ diff: 'upgrade' }),
});

export const CheckpointingSpec = z.object({
  interval: Duration.describe('Checkpoint interval').meta({ diff: 'upgrade' }),
  storage: z
    .string()
    .min(1)
    .describe('Checkpoint storage URI (s3://bucket/prefix or file:///path); HA metadata lives beside it')
    .meta({ diff: 'upgrade' }),
  credentialsSecret: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Secret whose keys become environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...)',
    )
    .meta({ diff: 'upgrade' }),
});

export const SavepointsSpec = z.object({
  directory: z
    .string()
    .min(1)
    .optional()
    .describe('Where savepoints go (s3://bucket/savepoints); required by upgradeMode savepoint')
    .meta({ diff: 'ignore' }),
  periodicInterval: Duration.optional()
    .describe('Take a savepoint this often while running')
    .meta({ diff: 'ignore' }),
  historyMaxCount: z
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Savepoints kept in status.savepointHistory')
    .meta({ diff: 'ignore' }),
  historyMaxAge: Duration.default('24h')
    .describe('Savepoints older than this leave the history (the newest is always kept)')
    .meta({ diff: 'ignore' }),
  onDelete: z
    .boolean()
    .default(true)
    .describe('Take a final savepoint when the StreamJob is deleted')
    .meta({ diff: 'ignore' }),
  timeout: Duration.default('10m')
    .describe('How long a savepoint may take before it counts as failed')
    .meta({ diff: 'ignore' }),
});

export const StreamJobSpec = z.object({
  image: z
    .string()
    .min(1)
    .describe('Image holding the Riffle runtime and the job module')
    .meta({ diff: 'upgrade' }),
  imagePullPolicy: z
    .enum(['Always', 'IfNotPresent', 'Never'])
    .optional()
    .describe('Image pull policy')
    .meta({ diff: 'upgrade' }),
  serviceAccountName: z
    .string()
    .min(1)
    .optional()
    .describe('Service account of the pods')
    .meta({ diff: 'upgrade' }),
  job: JobSpec,
  jobManager: JobManagerSpec.default({ replicas: 1, port: 8081 }),
  taskManager: TaskManagerSpec.default({ slots: 1 }),
  checkpointing: CheckpointingSpec.optional(),
  savepoints: SavepointsSpec.default({
    historyMaxCount: 10,
    historyMaxAge: '24h',
    onDelete: true,
    timeout: '10m',
  }),
  restartNonce: z
    .number()
    .int()
    .optional()
    .describe('Change to restart the job (as an upgrade)')
    .meta({ diff: 'upgrade' }),
  config: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      'Free-form runtime configuration (ConfigMap riffle-conf.yaml); keys under operator. are ignored by upgrades',
    )
    .meta({ diff: 'upgrade', freeForm: true }),
});

export type StreamJobSpec = z.output<typeof StreamJobSpec>;
export type StreamJobSpecInput = z.input<typeof StreamJobSpec>;
