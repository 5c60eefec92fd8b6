// Events about a pod from the node, as the kubelet records them (`kubectl describe pod`, `kubectl get
// events`): Started, Killing, BackOff, Unhealthy, Failed. Best effort: a failed post is only logged.
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeApi } from './kube-api.ts';

export type PodEventType = 'Normal' | 'Warning';

export function podEvent(
  pod: V1Pod,
  node: string,
  type: PodEventType,
  reason: string,
  message: string,
  container: string | undefined,
  now: Date,
): Record<string, unknown> {
  const m = pod.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { generateName: `${m?.name}.`, namespace: m?.namespace },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: m?.name,
      namespace: m?.namespace,
      uid: m?.uid,
      ...(container === undefined ? {} : { fieldPath: `spec.containers{${container}}` }),
    },
    type,
    reason,
    message,
    source: { component: 'kubelet', host: node },
    reportingComponent: 'kubelet',
    reportingInstance: node,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}

export function postPodEvent(
  api: KubeApi,
  log: (msg: string) => void,
  ...args: Parameters<typeof podEvent>
): void {
  const body = podEvent(...args);
  api
    .request('POST', `/api/v1/namespaces/${args[0].metadata?.namespace}/events`, body)
    .catch((error: Error) => {
      // a namespace being deleted takes no new events; anything else is worth a line in the agent's log
      if (!error.message.includes('being terminated')) log(`event ${args[3]} not recorded: ${error.message}`);
    });
}
