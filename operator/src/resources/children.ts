// The children of a StreamJob, built from its spec and a deployment plan (pure): the JobManager Deployment
// (application mode: the JobManager runs the job named by the plan), its Service, the TaskManager
// Deployment and the ConfigMap. All carry an owner reference to the StreamJob (garbage-collected with it),
// the generation label, and the plan hash (the pod template's annotation too, so a new plan rolls the pods).
import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1OwnerReference,
  V1Service,
} from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { API_VERSION, KIND, type ObjectMeta } from '../api/stream-job.ts';
import type { StreamJobSpec } from '../api/stream-job-spec.ts';
import type { DeploymentPlan } from '../reconcile/decision.ts';
import { parseDuration } from '../reconcile/duration.ts';
import { effectiveParallelism, taskManagerReplicas } from '../reconcile/validate-spec.ts';
import { type Component, childNames, commonLabels, PLAN_HASH_ANNOTATION, selectorLabels } from './labels.ts';
import { mergeOverride } from './pod-template-merge.ts';

/** The runtime's CLI inside the image (working directory = the project root of the image). */
export const RUNTIME_COMMAND = ['node', 'runtime/src/cli/main.ts'];
export const CONFIG_MOUNT = '/etc/riffle';

export type Children = {
  readonly configMap: V1ConfigMap;
  readonly service: V1Service;
  readonly jobManager: V1Deployment;
  readonly taskManager: V1Deployment;
};

type Owner = Pick<ObjectMeta, 'name' | 'namespace' | 'uid'>;

export function ownerReference(owner: Owner): V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    name: owner.name,
    uid: owner.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The JobManager's in-cluster REST address (the Service). */
export function jobManagerServiceUrl(owner: Pick<ObjectMeta, 'name' | 'namespace'>, port: number): string {
  return `http://${childNames(owner.name).service}.${owner.namespace}.svc:${port}`;
}

export function jobManagerArgs(spec: StreamJobSpec, plan: DeploymentPlan): string[] {
  const args = [
    'jobmanager',
    '--host',
    '0.0.0.0',
    '--port',
    String(spec.jobManager.port),
    '--job',
    spec.job.entryModule,
    '--job-id',
    plan.jobId,
    '--parallelism',
    String(effectiveParallelism(spec)),
  ];
  if (spec.job.maxParallelism !== undefined) args.push('--max-parallelism', String(spec.job.maxParallelism));
  if (spec.checkpointing !== undefined)
    args.push(
      '--checkpoint-interval',
      String(parseDuration(spec.checkpointing.interval)),
      '--checkpoint-storage',
      spec.checkpointing.storage,
    );
  if (plan.restoreFrom !== undefined) args.push('--from-savepoint', plan.restoreFrom);
  if (plan.restoreFrom !== undefined && spec.job.allowNonRestoredState)
    args.push('--allow-non-restored-state');
  if (plan.requireCheckpoint) args.push('--require-checkpoint');
  return [...args, '--', ...spec.job.args];
}

export function buildChildren(
  owner: Owner,
  spec: StreamJobSpec,
  plan: DeploymentPlan,
  planHash: string,
): Children {
  const names = childNames(owner.name);
  const labels = commonLabels(owner.name, plan.generation);
  const meta = (name: string, component?: Component) => ({
    name,
    namespace: owner.namespace,
    labels: { ...labels, ...(component === undefined ? {} : selectorLabels(owner.name, component)) },
    annotations: { [PLAN_HASH_ANNOTATION]: planHash },
    ownerReferences: [ownerReference(owner)],
  });
  const port = spec.jobManager.port;
  const configMap: V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(names.configMap),
    data: { 'riffle-conf.yaml': stringify(spec.config ?? {}) },
  };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(names.service, 'jobmanager'),
    spec: {
      // Headless: the single JobManager is reached by DNS without taking a cluster IP (clusters run out of
      // those long before they run out of StreamJobs).
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: selectorLabels(owner.name, 'jobmanager'),
      ports: [{ name: 'rest', port, targetPort: 'rest' }],
    },
  };
  const container = (
    component: Component,
    args: string[],
    resources: StreamJobSpec['jobManager']['resources'],
  ): V1Container => ({
    name: component,
    image: spec.image,
    ...(spec.imagePullPolicy === undefined ? {} : { imagePullPolicy: spec.imagePullPolicy }),
    command: RUNTIME_COMMAND,
    args,
    env: [
      { name: 'RIFFLE_LOG_FORMAT', value: 'json' },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'RIFFLE_CONF_DIR', value: CONFIG_MOUNT },
    ],
    ...(spec.checkpointing?.credentialsSecret === undefined
      ? {}
      : { envFrom: [{ secretRef: { name: spec.checkpointing.credentialsSecret } }] }),
    ...(resources === undefined ? {} : { resources: resources as V1Container['resources'] }),
    volumeMounts: [{ name: 'riffle-config', mountPath: CONFIG_MOUNT, readOnly: true }],
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
    ...(component === 'jobmanager'
      ? {
          ports: [{ name: 'rest', containerPort: port }],
          readinessProbe: { httpGet: { path: '/healthz', port: 'rest' }, periodSeconds: 5 },
        }
      : {}),
  });
  const deployment = (
    component: Component,
    replicas: number,
    c: V1Container,
    override: Record<string, unknown> | undefined,
  ): V1Deployment => {
    const template = {
      metadata: {
        labels: { ...labels, ...selectorLabels(owner.name, component) },
        annotations: { [PLAN_HASH_ANNOTATION]: planHash },
      },
      spec: {
        ...(spec.serviceAccountName === undefined ? {} : { serviceAccountName: spec.serviceAccountName }),
        containers: [c],
        volumes: [{ name: 'riffle-config', configMap: { name: names.configMap } }],
      },
    };
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(component === 'jobmanager' ? names.jobManager : names.taskManager, component),
      spec: {
        replicas,
        // Never two JobManagers (or two generations of TaskManagers) at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selectorLabels(owner.name, component) },
        template: mergeOverride(template, override) as NonNullable<V1Deployment['spec']>['template'],
      },
    };
  };
  const running = plan.running;
  const jmUrl = jobManagerServiceUrl(owner, port);
  const tmArgs = [
    'taskmanager',
    '--jobmanager',
    jmUrl,
    '--slots',
    String(spec.taskManager.slots),
    '--host',
    '$(POD_IP)',
  ];
  return {
    configMap,
    service,
    jobManager: deployment(
      'jobmanager',
      running ? spec.jobManager.replicas : 0,
      container('jobmanager', jobManagerArgs(spec, plan), spec.jobManager.resources),
      spec.jobManager.podTemplate,
    ),
    taskManager: deployment(
      'taskmanager',
      running ? taskManagerReplicas(spec) : 0,
      container('taskmanager', tmArgs, spec.taskManager.resources),
      spec.taskManager.podTemplate,
    ),
  };
}
