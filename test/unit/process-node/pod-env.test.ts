// A container's environment on the process node, by Kubernetes' rules (envFrom, env, valueFrom).
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type EnvSources,
  parseQuantity,
  referencedObjects,
  resolveEnv,
} from '../../../hack/process-node/pod-env.ts';

const pod: V1Pod = {
  metadata: { name: 'p-1', namespace: 'ns', uid: 'u-1', labels: { app: 'web' }, annotations: { a: 'b' } },
  spec: { nodeName: 'riffle-process-node', containers: [], serviceAccountName: 'sa' },
};
const sources: EnvSources = {
  configMaps: new Map([['ns/cm', { K: 'v', X: 'cm-x' }]]),
  secrets: new Map([['ns/sec', { PASSWORD: 'pw', X: 'sec-x' }]]),
  podIP: '10.245.0.7',
  hostIP: '127.0.0.1',
  nodeCpu: 8,
  nodeMemory: 1024,
};

test('envFrom in order with prefixes, then env entries override; $(VAR) sees earlier values', () => {
  const c: V1Container = {
    name: 'c',
    envFrom: [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 'sec' }, prefix: 'S_' }],
    env: [
      { name: 'X', value: 'literal' },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'URL', value: 'http://$(IP):8080/$(K)/$(MISSING)' },
      { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
      { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'PASSWORD' } } },
      { name: 'CK', valueFrom: { configMapKeyRef: { name: 'cm', key: 'K' } } },
      { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope', optional: true } } },
    ],
  };
  assert.equal(resolveEnv(pod, c, sources), {
    K: 'v',
    X: 'literal',
    S_PASSWORD: 'pw',
    S_X: 'sec-x',
    IP: '10.245.0.7',
    URL: 'http://10.245.0.7:8080/v/$(MISSING)',
    NAME: 'p-1',
    NS: 'ns',
    APP: 'web',
    SA: 'sa',
    HOST: '127.0.0.1',
    PW: 'pw',
    CK: 'v',
  });
});

test('missing ConfigMaps, Secrets and keys are config errors naming the field', () => {
  const table: Array<[V1Container, RegExp]> = [
    [
      { name: 'c', envFrom: [{ configMapRef: { name: 'gone' } }] },
      /container c: envFrom\[0\] ConfigMap ns\/gone not found/,
    ],
    [
      { name: 'c', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'sec', key: 'nope' } } }] },
      /container c: env A valueFrom.secretKeyRef: ns\/sec has no key "nope"/,
    ],
    [
      { name: 'c', env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] },
      /fieldRef.fieldPath "spec.bogus" is not supported/,
    ],
  ];
  for (const [c, re] of table) assert.throws(() => resolveEnv(pod, c, sources), re);
  assert.equal(
    resolveEnv(pod, { name: 'c', envFrom: [{ secretRef: { name: 'gone', optional: true } }] }, sources),
    {},
  );
});

test('resourceFieldRef uses limits, else the node, with the divisor', () => {
  const c: V1Container = {
    name: 'c',
    resources: { limits: { memory: '64Mi' } },
    env: [
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
    ],
  };
  assert.equal(resolveEnv(pod, c, sources), { MEM: '64', CPU: '8' });
  assert.is(parseQuantity('500m'), 0.5);
  assert.is(parseQuantity('2Gi'), 2 * 1024 ** 3);
});

test('referencedObjects collects ConfigMaps and Secrets of env, envFrom and volumes', () => {
  const p: V1Pod = {
    metadata: { namespace: 'ns' },
    spec: {
      containers: [
        {
          name: 'c',
          envFrom: [{ configMapRef: { name: 'a' } }],
          env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's1', key: 'k' } } }],
        },
      ],
      volumes: [
        { name: 'v1', configMap: { name: 'b' } },
        { name: 'v2', secret: { secretName: 's2' } },
        { name: 'v3', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }] } },
      ],
    },
  };
  const r = referencedObjects(p);
  assert.equal([...r.configMaps].sort(), ['ns/a', 'ns/b', 'ns/kube-root-ca.crt']);
  assert.equal([...r.secrets].sort(), ['ns/s1', 'ns/s2']);
});

test.run();
