// The process node's Node object and its heartbeat: creates (or updates) the Node with its label, taint,
// capacity and address, marks it Ready, renews its Lease in kube-node-lease every 10 s (the node lifecycle
// controller marks a node whose lease expires NotReady and evicts its pods), and re-posts the Ready
// condition every minute. On stop the node is marked NotReady ("process node agent stopped").
import os from 'node:os';
import type { V1Node } from '@kubernetes/client-node';
import { type KubeApi, KubeApiError } from './kube-api.ts';

export const PROCESS_NODE_LABEL = 'riffle.dev/process-node';

export type NodeSettings = {
  readonly name: string;
  readonly hostIP: string;
  readonly kubeletPort: number;
  readonly kubeletVersion: string;
  readonly taint: boolean;
};

const LEASE_SECONDS = 40;

function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function nodeObject(s: NodeSettings): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: s.name,
      labels: {
        'kubernetes.io/hostname': s.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        [PROCESS_NODE_LABEL]: 'true',
        type: 'process',
      },
    },
    spec: s.taint
      ? { taints: [{ key: PROCESS_NODE_LABEL, value: 'true', effect: 'NoSchedule' }] }
      : { taints: [] },
  };
}

function nodeStatus(s: NodeSettings, ready: boolean, now: Date): V1Node['status'] {
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  });
  const resources = {
    cpu: String(os.availableParallelism()),
    memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
    pods: '110',
  };
  return {
    capacity: resources,
    allocatable: resources,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'process node'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'process node'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'process node'),
      ready
        ? cond('Ready', 'True', 'KubeletReady', 'riffle process node is running pods as local processes')
        : cond('Ready', 'False', 'KubeletNotReady', 'riffle process node agent stopped'),
    ],
    // InternalIP only: the apiserver reaches the "kubelet" (the log server) at the first preferred address.
    addresses: [{ type: 'InternalIP', address: s.hostIP }],
    daemonEndpoints: { kubeletEndpoint: { Port: s.kubeletPort } },
    nodeInfo: {
      machineID: 'riffle-process-node',
      systemUUID: 'riffle-process-node',
      bootID: String(Math.floor(Date.now() - os.uptime() * 1000)),
      kernelVersion: os.release(),
      osImage: 'riffle process node (local processes)',
      containerRuntimeVersion: 'process://1',
      kubeletVersion: s.kubeletVersion,
      kubeProxyVersion: s.kubeletVersion,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

export class NodeRegistration {
  private readonly api: KubeApi;
  private readonly s: NodeSettings;
  private readonly log: (msg: string) => void;
  private timers: NodeJS.Timeout[] = [];

  constructor(api: KubeApi, s: NodeSettings, log: (msg: string) => void) {
    this.api = api;
    this.s = s;
    this.log = log;
  }

  async register(): Promise<void> {
    const node = nodeObject(this.s);
    try {
      await this.api.request('POST', '/api/v1/nodes', node);
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 409)) throw error;
      await this.api.request(
        'PATCH',
        `/api/v1/nodes/${this.s.name}`,
        { metadata: node.metadata, spec: node.spec },
        'application/merge-patch+json',
      );
    }
    await this.postStatus(true);
    await this.renewLease();
    this.timers.push(
      setInterval(() => this.renewLease().catch((e) => this.log(`lease: ${e.message}`)), 10_000),
    );
    this.timers.push(
      setInterval(() => this.postStatus(true).catch((e) => this.log(`node status: ${e.message}`)), 60_000),
    );
  }

  private postStatus(ready: boolean): Promise<unknown> {
    return this.api.request(
      'PATCH',
      `/api/v1/nodes/${this.s.name}/status`,
      { status: nodeStatus(this.s, ready, new Date()) },
      'application/merge-patch+json',
    );
  }

  private async renewLease(): Promise<void> {
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.s.name}`;
    const spec = {
      holderIdentity: this.s.name,
      leaseDurationSeconds: LEASE_SECONDS,
      renewTime: microTime(new Date()),
    };
    try {
      await this.api.request('PATCH', path, { spec }, 'application/merge-patch+json');
    } catch (error) {
      if (!(error instanceof KubeApiError && error.status === 404)) throw error;
      const node = await this.api.request<V1Node>('GET', `/api/v1/nodes/${this.s.name}`);
      await this.api.request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: this.s.name,
          namespace: 'kube-node-lease',
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.s.name, uid: node.metadata?.uid }],
        },
        spec,
      });
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.postStatus(false).catch(() => undefined);
  }
}
