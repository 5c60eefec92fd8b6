// A container's environment (pure), by Kubernetes' rules: envFrom sources in order (with prefix), then env
// entries, each value expanding `$(VAR)` from what is defined before it; valueFrom reads fieldRef
// (metadata.name/namespace/uid/labels/annotations, spec.nodeName/serviceAccountName, status.podIP(s)/
// hostIP(s)), resourceFieldRef, configMapKeyRef and secretKeyRef. A missing non-optional ConfigMap, Secret
// or key is a ContainerConfigError naming the field, like the kubelet's CreateContainerConfigError.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { expandVars } from './image-map.ts';

export class ContainerConfigError extends Error {}

/** ConfigMap data (and binaryData decoded) or Secret data (base64-decoded), by `namespace/name`. */
export type ObjectData = ReadonlyMap<string, Readonly<Record<string, string>>>;

export type EnvSources = {
  readonly configMaps: ObjectData;
  readonly secrets: ObjectData;
  readonly podIP: string;
  readonly hostIP: string;
  /** Node allocatable, used by resourceFieldRef for unset limits: cpu cores and memory bytes. */
  readonly nodeCpu: number;
  readonly nodeMemory: number;
};

/** The ConfigMaps and Secrets a pod's containers reference (env, envFrom, volumes), as `namespace/name`. */
export function referencedObjects(pod: V1Pod): { configMaps: Set<string>; secrets: Set<string> } {
  const ns = pod.metadata?.namespace ?? 'default';
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const spec = pod.spec;
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef?.name) configMaps.add(`${ns}/${e.configMapRef.name}`);
      if (e.secretRef?.name) secrets.add(`${ns}/${e.secretRef.name}`);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(`${ns}/${e.valueFrom.configMapKeyRef.name}`);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(`${ns}/${e.valueFrom.secretKeyRef.name}`);
    }
  }
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(`${ns}/${v.configMap.name}`);
    if (v.secret?.secretName) secrets.add(`${ns}/${v.secret.secretName}`);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(`${ns}/${s.configMap.name}`);
      if (s.secret?.name) secrets.add(`${ns}/${s.secret.name}`);
    }
  }
  return { configMaps, secrets };
}

export function fieldRefValue(pod: V1Pod, fieldPath: string, sources: EnvSources): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (m) {
    const map = m[1] === 'labels' ? pod.metadata?.labels : pod.metadata?.annotations;
    return map?.[m[2] as string] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata?.name ?? '';
    case 'metadata.namespace':
      return pod.metadata?.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata?.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return sources.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return sources.hostIP;
    default:
      throw new ContainerConfigError(
        `fieldRef.fieldPath "${fieldPath}" is not supported by the process node`,
      );
  }
}

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q.trim());
  if (!m) throw new ContainerConfigError(`resource quantity "${q}" is not understood`);
  return Number(m[1]) * (SUFFIX[m[2] ?? ''] as number);
}

function resourceValue(c: V1Container, resource: string, divisor: string | undefined, s: EnvSources): string {
  const [kind, name] = resource.split('.') as [string, string];
  const table = (kind === 'limits' ? c.resources?.limits : c.resources?.requests) as
    | Record<string, string | number>
    | undefined;
  const raw = table?.[name];
  const value =
    raw !== undefined
      ? parseQuantity(raw)
      : name === 'cpu'
        ? kind === 'limits'
          ? s.nodeCpu
          : 0
        : name === 'memory'
          ? kind === 'limits'
            ? s.nodeMemory
            : 0
          : 0;
  const d = divisor === undefined ? 1 : parseQuantity(divisor);
  return String(Math.ceil(value / d));
}

export function resolveEnv(pod: V1Pod, c: V1Container, s: EnvSources): Record<string, string> {
  const ns = pod.metadata?.namespace ?? 'default';
  const env: Record<string, string> = {};
  const where = `container ${c.name}`;
  for (const [i, from] of (c.envFrom ?? []).entries()) {
    const prefix = from.prefix ?? '';
    const ref = from.configMapRef ?? from.secretRef;
    if (ref?.name === undefined) continue;
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const data = (from.configMapRef ? s.configMaps : s.secrets).get(`${ns}/${ref.name}`);
    if (data === undefined) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${where}: envFrom[${i}] ${kind} ${ns}/${ref.name} not found`);
    }
    for (const [k, v] of Object.entries(data)) env[prefix + k] = v;
  }
  for (const e of c.env ?? []) {
    const vf = e.valueFrom;
    if (vf === undefined) {
      env[e.name] = expandVars(e.value ?? '', (n) => env[n]);
    } else if (vf.fieldRef) {
      env[e.name] = fieldRefValue(pod, vf.fieldRef.fieldPath, s);
    } else if (vf.resourceFieldRef) {
      env[e.name] = resourceValue(c, vf.resourceFieldRef.resource, vf.resourceFieldRef.divisor as string, s);
    } else if (vf.configMapKeyRef || vf.secretKeyRef) {
      const ref = (vf.configMapKeyRef ?? vf.secretKeyRef)!;
      const kind = vf.configMapKeyRef ? 'configMapKeyRef' : 'secretKeyRef';
      const data = (vf.configMapKeyRef ? s.configMaps : s.secrets).get(`${ns}/${ref.name}`);
      const value = data?.[ref.key];
      if (value === undefined) {
        if (ref.optional) continue;
        const what =
          data === undefined ? `${ns}/${ref.name} not found` : `${ns}/${ref.name} has no key "${ref.key}"`;
        throw new ContainerConfigError(`${where}: env ${e.name} valueFrom.${kind}: ${what}`);
      }
      env[e.name] = value;
    }
  }
  return env;
}
