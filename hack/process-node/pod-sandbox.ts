// A pod's files on this machine: its directory under the node's state dir (logs per container and
// restart), its volumes materialized there (configMap, secret, emptyDir, hostPath, and projected
// configMap/secret/serviceAccountToken/downwardAPI fieldRef sources, which is what the kube-api-access-*
// volume of the ServiceAccount admission plugin holds: a TokenRequest bound to the pod, ca.crt, namespace). Containers see them at their mountPath through bind mounts in a private
// mount namespace (container-process.ts); the mount points are created empty on the host.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { V1Container, V1KeyToPath, V1Pod } from '@kubernetes/client-node';
import type { KubeApi } from './kube-api.ts';
import { ContainerConfigError, type EnvSources, fieldRefValue, type ObjectData } from './pod-env.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export type Bind = { readonly source: string; readonly target: string };

export type Sandbox = {
  readonly dir: string;
  /** volume name → host directory (or host path for hostPath) */
  readonly volumes: ReadonlyMap<string, string>;
  readonly serviceAccountDir?: string;
};

function writeItems(
  dir: string,
  data: Readonly<Record<string, string>>,
  items: readonly V1KeyToPath[] | undefined,
  what: string,
): void {
  mkdirSync(dir, { recursive: true });
  const entries =
    items?.map((i) => [i.key, i.path] as const) ?? Object.keys(data).map((k) => [k, k] as const);
  for (const [key, path] of entries) {
    const value = data[key];
    if (value === undefined) throw new ContainerConfigError(`${what} has no key "${key}"`);
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, value);
  }
}

/** A service account token bound to the pod (TokenRequest), valid for a day unless asked otherwise. */
async function requestToken(
  api: KubeApi,
  pod: V1Pod,
  expirationSeconds: number | undefined,
  audience: string | undefined,
): Promise<string> {
  const ns = pod.metadata?.namespace ?? 'default';
  const sa = pod.spec?.serviceAccountName ?? 'default';
  const tr = await api.request<{ status: { token: string } }>(
    'POST',
    `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        expirationSeconds: Math.max(expirationSeconds ?? 0, 24 * 3600),
        ...(audience === undefined || audience === '' ? {} : { audiences: [audience] }),
        boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name, uid: pod.metadata?.uid },
      },
    },
  );
  return tr.status.token;
}

export async function prepareSandbox(
  api: KubeApi,
  pod: V1Pod,
  dir: string,
  data: { configMaps: ObjectData; secrets: ObjectData },
  fieldSources: EnvSources,
): Promise<Sandbox> {
  const ns = pod.metadata?.namespace ?? 'default';
  mkdirSync(dir, { recursive: true });
  const volumes = new Map<string, string>();
  for (const v of pod.spec?.volumes ?? []) {
    const target = join(dir, 'volumes', v.name);
    if (v.hostPath) {
      volumes.set(v.name, v.hostPath.path);
    } else if (v.emptyDir) {
      mkdirSync(target, { recursive: true });
      volumes.set(v.name, target);
    } else if (v.configMap || v.secret) {
      const isCm = v.configMap !== undefined;
      const name = (isCm ? v.configMap?.name : v.secret?.secretName) ?? '';
      const what = `volume ${v.name}: ${isCm ? 'ConfigMap' : 'Secret'} ${ns}/${name}`;
      const d = (isCm ? data.configMaps : data.secrets).get(`${ns}/${name}`);
      const optional = (isCm ? v.configMap?.optional : v.secret?.optional) === true;
      if (d === undefined && !optional) throw new ContainerConfigError(`${what} not found`);
      writeItems(target, d ?? {}, isCm ? v.configMap?.items : v.secret?.items, what);
      volumes.set(v.name, target);
    } else if (v.projected) {
      // e.g. the kube-api-access-xxxxx volume the ServiceAccount admission plugin adds: a token, the
      // kube-root-ca.crt ConfigMap and the namespace from the downward API.
      mkdirSync(target, { recursive: true });
      for (const src of v.projected.sources ?? []) {
        if (src.serviceAccountToken) {
          const token = await requestToken(
            api,
            pod,
            src.serviceAccountToken.expirationSeconds,
            src.serviceAccountToken.audience,
          );
          writeItems(
            target,
            { token },
            [{ key: 'token', path: src.serviceAccountToken.path }],
            `volume ${v.name}`,
          );
          continue;
        }
        if (src.downwardAPI) {
          const values: Record<string, string> = {};
          const items = (src.downwardAPI.items ?? []).map((item) => {
            if (!item.fieldRef)
              throw new ContainerConfigError(
                `volume ${v.name}: only fieldRef downwardAPI items are supported`,
              );
            values[item.path] = fieldRefValue(pod, item.fieldRef.fieldPath, fieldSources);
            return { key: item.path, path: item.path };
          });
          writeItems(target, values, items, `volume ${v.name}`);
          continue;
        }
        const ref = src.configMap ?? src.secret;
        if (ref === undefined) continue;
        const what = `volume ${v.name}: ${src.configMap ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`;
        const d = (src.configMap ? data.configMaps : data.secrets).get(`${ns}/${ref.name}`);
        if (d === undefined && ref.optional !== true) throw new ContainerConfigError(`${what} not found`);
        writeItems(target, d ?? {}, ref.items, what);
      }
      volumes.set(v.name, target);
    } else {
      throw new ContainerConfigError(
        `volume ${v.name}: only configMap, secret, projected (configMap/secret), emptyDir and hostPath volumes run on the process node`,
      );
    }
  }
  // The ServiceAccount admission plugin normally adds the token volume; without it, mount one anyway.
  const mounted = (pod.spec?.containers ?? []).some((c) =>
    (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_DIR),
  );
  let serviceAccountDir: string | undefined;
  if (pod.spec?.automountServiceAccountToken !== false && !mounted) {
    serviceAccountDir = join(dir, 'volumes', 'kube-api-access');
    mkdirSync(serviceAccountDir, { recursive: true });
    writeFileSync(join(serviceAccountDir, 'token'), await requestToken(api, pod, undefined, undefined));
    writeFileSync(join(serviceAccountDir, 'ca.crt'), api.caPem);
    writeFileSync(join(serviceAccountDir, 'namespace'), ns);
  }
  return { dir, volumes, ...(serviceAccountDir === undefined ? {} : { serviceAccountDir }) };
}

/** The bind mounts of one container: its volumeMounts (with subPath) and the service account token. */
export function containerBinds(c: V1Container, sandbox: Sandbox): Bind[] {
  const binds: Bind[] = [];
  for (const m of c.volumeMounts ?? []) {
    const source = sandbox.volumes.get(m.name);
    if (source === undefined)
      throw new ContainerConfigError(`container ${c.name}: volumeMount ${m.name} names no volume of the pod`);
    binds.push({ source: m.subPath ? join(source, m.subPath) : source, target: m.mountPath });
  }
  if (sandbox.serviceAccountDir !== undefined && !binds.some((b) => b.target === SERVICE_ACCOUNT_DIR))
    binds.push({ source: sandbox.serviceAccountDir, target: SERVICE_ACCOUNT_DIR });
  return binds;
}
