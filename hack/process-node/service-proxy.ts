// The process node's kube-proxy (userspace mode): for every Service with a cluster IP the node agent
// listens on <clusterIP>:<port> for each TCP port (`hack/process-node.sh up` makes the service range
// local, like the pod range) and forwards each connection to a ready endpoint (round robin, the endpoint
// port from the EndpointSlice, so targetPort works); it also writes the DNS records file (dns-records.ts)
// that the preload reads. Headless Services need no proxy: their names resolve to the pod IPs.
import { renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { buildDnsRecords, endpointAddresses, isHeadless, SERVICE_NAME_LABEL } from './dns-records.ts';

type Target = { ip: string; port: number };

export class ServiceProxy {
  private readonly listeners = new Map<string, net.Server>();
  private readonly routes = new Map<string, Target[]>();
  private readonly turn = new Map<string, number>();
  private readonly dnsFile: string;
  private readonly log: (msg: string) => void;

  constructor(dnsFile: string, log: (msg: string) => void) {
    this.dnsFile = dnsFile;
    this.log = log;
  }

  /** Recomputes proxies and DNS records from the full set of Services and EndpointSlices. */
  update(services: readonly V1Service[], slices: readonly V1EndpointSlice[]): void {
    const slicesByService = new Map<string, V1EndpointSlice[]>();
    for (const s of slices) {
      const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (svc === undefined) continue;
      const key = `${s.metadata?.namespace}/${svc}`;
      slicesByService.set(key, [...(slicesByService.get(key) ?? []), s]);
    }
    const wanted = new Map<string, Target[]>();
    for (const svc of services) {
      if (isHeadless(svc) || svc.spec?.type === 'ExternalName') continue;
      const key = `${svc.metadata?.namespace}/${svc.metadata?.name}`;
      const ip = svc.spec?.clusterIP;
      if (ip === undefined || ip === '') continue;
      const svcSlices = slicesByService.get(key) ?? [];
      const addresses = endpointAddresses(svc, svcSlices);
      for (const p of svc.spec?.ports ?? []) {
        if ((p.protocol ?? 'TCP') !== 'TCP') continue;
        const port = svcSlices
          .flatMap((s) => s.ports ?? [])
          .find((sp) => (sp.name ?? '') === (p.name ?? '') && (sp.protocol ?? 'TCP') === 'TCP')?.port;
        wanted.set(`${ip}:${p.port}`, port === undefined ? [] : addresses.map((a) => ({ ip: a.ip, port })));
      }
    }
    for (const [key, server] of [...this.listeners]) {
      if (!wanted.has(key)) {
        server.close();
        this.listeners.delete(key);
        this.routes.delete(key);
      }
    }
    for (const [key, targets] of wanted) {
      this.routes.set(key, targets);
      if (!this.listeners.has(key)) this.listen(key);
    }
    const records = buildDnsRecords(services, slicesByService);
    const tmp = `${this.dnsFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(records, null, 1));
    renameSync(tmp, this.dnsFile);
  }

  private listen(key: string): void {
    const [ip, port] = key.split(':') as [string, string];
    const server = net.createServer((client) => {
      const targets = this.routes.get(key) ?? [];
      if (targets.length === 0) {
        client.resetAndDestroy();
        return;
      }
      const n = this.turn.get(key) ?? 0;
      this.turn.set(key, n + 1);
      const t = targets[n % targets.length] as Target;
      const upstream = net.connect(t.port, t.ip);
      client.pipe(upstream).on('error', () => client.destroy());
      upstream.pipe(client);
      upstream.on('error', () => client.resetAndDestroy());
      client.on('error', () => upstream.destroy());
    });
    server.on('error', (e) => this.log(`service proxy ${key}: ${e.message}`));
    server.listen(Number(port), ip);
    this.listeners.set(key, server);
  }

  close(): void {
    for (const s of this.listeners.values()) s.close();
    this.listeners.clear();
  }
}
