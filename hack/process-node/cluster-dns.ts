// Cluster name resolution (pure), as a pod's resolv.conf would do it with `search <ns>.svc.cluster.local
// svc.cluster.local cluster.local` and `ndots:5`: a name with fewer than 5 dots is tried with each search
// suffix first, then as given. Records map fully qualified names (no trailing dot) to IPv4 addresses.
// The preload (preload.ts) and tests use this; the node agent writes the records file (dns-records.ts).

export const CLUSTER_DOMAIN = 'cluster.local';

export type DnsRecords = { readonly records: Readonly<Record<string, readonly string[]>> };

export type PodIdentity = { readonly namespace: string; readonly hostname: string; readonly podIP: string };

export function searchList(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

/** Addresses for `name` as seen from a pod, or undefined if the cluster does not know it. */
export function resolveClusterName(
  records: DnsRecords,
  name: string,
  pod: PodIdentity | undefined,
): readonly string[] | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (pod !== undefined && (n === 'localhost' || n === pod.hostname.toLowerCase())) return [pod.podIP];
  const candidates: string[] = [];
  const dots = n.split('.').length - 1;
  if (pod !== undefined && dots < 5 && !name.endsWith('.'))
    for (const s of searchList(pod.namespace)) candidates.push(`${n}.${s}`);
  else if (pod === undefined && dots < 5 && !name.endsWith('.'))
    for (const s of [`svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN]) candidates.push(`${n}.${s}`);
  candidates.push(n);
  for (const c of candidates) {
    const ips = records.records[c];
    if (ips !== undefined) return ips;
    // <a>-<b>-<c>-<d>.<namespace>.pod.cluster.local, as CoreDNS answers it
    const m = /^(\d+)-(\d+)-(\d+)-(\d+)\.[a-z0-9-]+\.pod\.cluster\.local$/.exec(c);
    if (m) return [`${m[1]}.${m[2]}.${m[3]}.${m[4]}`];
  }
  return undefined;
}
