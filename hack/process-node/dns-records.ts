// The cluster's DNS records (pure) from Services and EndpointSlices, as CoreDNS's kubernetes plugin would
// serve them: `<svc>.<ns>.svc.cluster.local` → the Service's cluster IP (served by the process node's
// service proxy, see service-proxy.ts), or for a headless Service the addresses of its ready
// endpoints (all endpoints when publishNotReadyAddresses), and `<hostname>.<svc>.<ns>.svc.cluster.local`
// for endpoints with a hostname (pods with spec.hostname and spec.subdomain).
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { CLUSTER_DOMAIN, type DnsRecords } from './cluster-dns.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export function isHeadless(svc: V1Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

/** Ready (or, with publishNotReadyAddresses, all) IPv4 endpoint addresses of a Service's slices. */
export function endpointAddresses(
  svc: V1Service,
  slices: readonly V1EndpointSlice[],
): Array<{ ip: string; hostname?: string }> {
  const all = svc.spec?.publishNotReadyAddresses === true;
  const out: Array<{ ip: string; hostname?: string }> = [];
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    for (const ep of slice.endpoints ?? []) {
      if (!all && ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) out.push({ ip, ...(ep.hostname ? { hostname: ep.hostname } : {}) });
    }
  }
  return out.sort((a, b) => a.ip.localeCompare(b.ip));
}

export function buildDnsRecords(
  services: readonly V1Service[],
  slicesByService: ReadonlyMap<string, readonly V1EndpointSlice[]>,
): DnsRecords {
  const records: Record<string, string[]> = {};
  for (const svc of services) {
    const ns = svc.metadata?.namespace ?? 'default';
    const name = svc.metadata?.name ?? '';
    const key = `${ns}/${name}`;
    const fqdn = `${name}.${ns}.svc.${CLUSTER_DOMAIN}`;
    if (svc.spec?.type === 'ExternalName') continue;
    const endpoints = endpointAddresses(svc, slicesByService.get(key) ?? []);
    if (isHeadless(svc)) {
      if (endpoints.length > 0) records[fqdn] = endpoints.map((e) => e.ip);
    } else {
      const ip = svc.spec?.clusterIP;
      if (ip !== undefined && ip !== '') records[fqdn] = [ip];
    }
    for (const e of endpoints) {
      if (e.hostname !== undefined) (records[`${e.hostname}.${fqdn}`] ??= []).push(e.ip);
    }
  }
  return { records };
}
