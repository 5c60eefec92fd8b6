// The operator's Kubernetes calls, behind one small interface (the controller's I/O edge), implemented with
// @kubernetes/client-node 2.x: StreamJob reads and patches (status subresource, finalizers), server-side
// apply of children, Events, and the Lease API for leader election.
import {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1Lease,
  type V1Pod,
} from '@kubernetes/client-node';
import { GROUP, PLURAL, type StreamJob, VERSION } from '../api/stream-job.ts';
import { FIELD_MANAGER } from '../resources/labels.ts';
import type { LeaseApi } from './leader-election.ts';

export type EventRecord = {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
};

export type KubeClient = {
  getStreamJob(namespace: string, name: string): Promise<StreamJob | undefined>;
  /** Merge-patches the status subresource, guarded by resourceVersion; returns the new resourceVersion. */
  patchStatus(job: StreamJob, resourceVersion: string, patch: Record<string, unknown>): Promise<string>;
  /** Replaces metadata.finalizers, guarded by resourceVersion; returns the new resourceVersion. */
  setFinalizers(job: StreamJob, resourceVersion: string, finalizers: string[]): Promise<string>;
  apply(object: KubernetesObject): Promise<void>;
  recordEvent(job: StreamJob, event: EventRecord, reportingInstance: string): Promise<void>;
};

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const serverSideApply = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

export function isNotFound(e: unknown): boolean {
  return e instanceof ApiException && e.code === 404;
}

export function isConflict(e: unknown): boolean {
  return e instanceof ApiException && e.code === 409;
}

export function kubeClient(kc: KubeConfig): KubeClient {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const ref = (job: StreamJob) => ({
    group: GROUP,
    version: VERSION,
    namespace: job.metadata.namespace,
    plural: PLURAL,
    name: job.metadata.name,
  });
  return {
    async getStreamJob(namespace, name) {
      try {
        return (await custom.getNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: PLURAL,
          name,
        })) as StreamJob;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async patchStatus(job, resourceVersion, patch) {
      const body = { metadata: { resourceVersion }, status: patch };
      const updated = (await custom.patchNamespacedCustomObjectStatus(
        { ...ref(job), body, fieldManager: FIELD_MANAGER },
        mergePatch,
      )) as StreamJob;
      return updated.metadata.resourceVersion;
    },
    async setFinalizers(job, resourceVersion, finalizers) {
      const body = { metadata: { resourceVersion, finalizers } };
      const updated = (await custom.patchNamespacedCustomObject(
        { ...ref(job), body, fieldManager: FIELD_MANAGER },
        mergePatch,
      )) as StreamJob;
      return updated.metadata.resourceVersion;
    },
    async apply(object) {
      // The typed patch calls send the body as written. (KubernetesObjectApi.patch would serialize it through
      // client-node's models, dropping any key the model does not know by that name.)
      const name = object.metadata?.name ?? '';
      const namespace = object.metadata?.namespace ?? '';
      const params = { name, namespace, body: object, fieldManager: FIELD_MANAGER, force: true };
      if (object.kind === 'Deployment') await apps.patchNamespacedDeployment(params, serverSideApply);
      else if (object.kind === 'Service') await core.patchNamespacedService(params, serverSideApply);
      else if (object.kind === 'ConfigMap') await core.patchNamespacedConfigMap(params, serverSideApply);
      else throw new Error(`apply: unsupported kind ${object.kind}`);
    },
    async recordEvent(job, event, reportingInstance) {
      const now = new Date();
      await core.createNamespacedEvent({
        namespace: job.metadata.namespace,
        body: {
          metadata: { generateName: `${job.metadata.name}.`, namespace: job.metadata.namespace },
          involvedObject: {
            apiVersion: job.apiVersion,
            kind: job.kind,
            name: job.metadata.name,
            namespace: job.metadata.namespace,
            uid: job.metadata.uid,
            resourceVersion: job.metadata.resourceVersion,
          },
          type: event.type,
          reason: event.reason,
          message: event.message.slice(0, 1024),
          source: { component: 'riffle-operator' },
          reportingComponent: 'riffle.dev/operator',
          reportingInstance,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
    },
  };
}

export function leaseApi(kc: KubeConfig): LeaseApi {
  const api = kc.makeApiClient(CoordinationV1Api);
  return {
    async read(namespace, name) {
      try {
        return await api.readNamespacedLease({ namespace, name });
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    create: (namespace, lease: V1Lease) => api.createNamespacedLease({ namespace, body: lease }),
    replace: (namespace, name, lease: V1Lease) =>
      api.replaceNamespacedLease({ namespace, name, body: lease }),
  };
}

export type ListFns = {
  streamJobs(namespace: string | undefined): () => Promise<KubernetesListObject<KubernetesObject>>;
  deployments(namespace: string | undefined, labelSelector: string): () => Promise<{ items: V1Deployment[] }>;
  pods(namespace: string | undefined, labelSelector: string): () => Promise<{ items: V1Pod[] }>;
};

export function listFns(kc: KubeConfig): ListFns {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  return {
    streamJobs: (namespace) => () =>
      namespace === undefined
        ? custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL })
        : custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL }),
    deployments: (namespace, labelSelector) => () =>
      namespace === undefined
        ? apps.listDeploymentForAllNamespaces({ labelSelector })
        : apps.listNamespacedDeployment({ namespace, labelSelector }),
    pods: (namespace, labelSelector) => () =>
      namespace === undefined
        ? core.listPodForAllNamespaces({ labelSelector })
        : core.listNamespacedPod({ namespace, labelSelector }),
  };
}
