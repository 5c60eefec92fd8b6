// Kubernetes is real: the kube-apiserver from hack/test-env.sh reports its release, serves a CRD and
// a custom object, runs a Deployment through the real deployment/replicaset controllers and the
// scheduler onto the kwok node (whose pods kwok marks Running), and validates a server-side dry run.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1CustomResourceDefinition,
  VersionApi,
} from '@kubernetes/client-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTestEnv, uniqueName, waitFor } from './test-env.ts';

const run = promisify(execFile);
const kube = suite('kubernetes (control plane + kwok from hack/test-env.sh)');

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(loadTestEnv().kubeconfig);
  return kc;
}

async function kubectl(args: string[], input?: string): Promise<string> {
  const env = loadTestEnv();
  const child = run(env.kubectl, ['--kubeconfig', env.kubeconfig, ...args], { maxBuffer: 16 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  const { stdout } = await child;
  return stdout;
}

const namespace = uniqueName('riffle-it');

kube.before(async () => {
  await kubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name: namespace } } });
});

kube.after(async () => {
  await kubeConfig()
    .makeApiClient(CoreV1Api)
    .deleteNamespace({ name: namespace })
    .catch(() => undefined);
});

kube('the apiserver reports the release it was built from', async () => {
  const env = loadTestEnv();
  const info = await kubeConfig().makeApiClient(VersionApi).getCode();
  assert.is(info.gitVersion, env.k8sVersion);
  const client = JSON.parse(await kubectl(['version', '-o', 'json'])) as {
    clientVersion: { gitVersion: string };
    serverVersion: { gitVersion: string };
  };
  assert.is(client.serverVersion.gitVersion, env.k8sVersion);
  assert.is(client.clientVersion.gitVersion, env.k8sVersion);
});

kube('a CRD is established and serves a custom object', async () => {
  const kc = kubeConfig();
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const group = `${uniqueName('it').replaceAll('-', '')}.riffle.dev`;
  const crd: V1CustomResourceDefinition = {
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['parallelism'],
                  properties: { parallelism: { type: 'integer', minimum: 1 } },
                },
              },
            },
          },
        },
      ],
    },
  };
  await ext.createCustomResourceDefinition({ body: crd });
  try {
    await waitFor('the CRD to be Established', async () => {
      const got = await ext.readCustomResourceDefinition({ name: `widgets.${group}` });
      const established = got.status?.conditions?.find((c) => c.type === 'Established');
      return established?.status === 'True' ? true : undefined;
    });
    const objects = kc.makeApiClient(CustomObjectsApi);
    const ref = { group, version: 'v1', namespace, plural: 'widgets' };
    await waitFor('the custom resource to be served', () =>
      objects.createNamespacedCustomObject({
        ...ref,
        body: {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name: 'w1' },
          spec: { parallelism: 3 },
        },
      }),
    );
    const got = (await objects.getNamespacedCustomObject({ ...ref, name: 'w1' })) as {
      spec: { parallelism: number };
    };
    assert.is(got.spec.parallelism, 3);
    // The schema is enforced by the real apiserver.
    const invalid = await objects
      .createNamespacedCustomObject({
        ...ref,
        body: {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name: 'w2' },
          spec: { parallelism: 0 },
        },
      })
      .then(
        () => false,
        () => true,
      );
    assert.ok(invalid, 'a Widget with parallelism 0 must be rejected by the CRD schema');
  } finally {
    await ext.deleteCustomResourceDefinition({ name: `widgets.${group}` }).catch(() => undefined);
  }
});

kube('a Deployment gets Running pods through the controllers, the scheduler and kwok', async () => {
  const kc = kubeConfig();
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const labels = { app: 'riffle-it-web' };
  await apps.createNamespacedDeployment({
    namespace,
    body: {
      metadata: { name: 'web', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'web', image: 'riffle/it-web:1' }] },
        },
      },
    },
  });
  const pods = await waitFor(
    'two Running pods of Deployment web',
    async () => {
      const list = await core.listNamespacedPod({ namespace, labelSelector: 'app=riffle-it-web' });
      const running = list.items.filter((p) => p.status?.phase === 'Running');
      return running.length === 2 ? running : undefined;
    },
    90_000,
  );
  for (const pod of pods) {
    assert.is(pod.spec?.nodeName, 'riffle-kwok-0');
    assert.ok(pod.status?.podIP, 'kwok assigns a pod IP');
  }
  const ready = await waitFor('Deployment web to report 2 ready replicas', async () => {
    const d = await apps.readNamespacedDeployment({ namespace, name: 'web' });
    return d.status?.readyReplicas === 2 ? d : undefined;
  });
  assert.is(ready.status?.availableReplicas, 2);
});

kube('kubectl apply --server-side --dry-run=server validates without persisting', async () => {
  const manifest = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'dry-run-only', namespace },
    data: { key: 'value' },
  });
  const out = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], manifest);
  assert.match(out, /configmap\/dry-run-only serverside-applied \(server dry run\)/);
  const after = await kubectl(['get', 'configmap', '-n', namespace, '--ignore-not-found', '-o', 'name']);
  assert.not.match(after, /dry-run-only/);
  // A server-side dry run still runs the apiserver's validation.
  const bad = JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bad', namespace },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'c' } } } },
  });
  const rejected = await kubectl(['apply', '--server-side', '--dry-run=server', '-f', '-'], bad).then(
    () => '',
    (error: { stderr?: string }) => error.stderr ?? 'rejected',
  );
  assert.match(rejected, /invalid|Invalid/);
});

kube.run();
