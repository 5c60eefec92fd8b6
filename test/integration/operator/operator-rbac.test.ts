// The operator runs with exactly the permissions listed in operator/src/permissions.ts (the chart's Role):
// a ServiceAccount bound to a Role with those rules, its token in a kubeconfig, and the operator reconciles a
// StreamJob to RUNNING with leader election on. A missing permission fails this test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { OPERATOR_NAMESPACE_RULES, WATCHED_NAMESPACE_RULES } from '../../../operator/src/permissions.ts';
import { OperatorFixture } from './operator-fixture.ts';

const rbac = suite('operator with least-privilege RBAC');
const fx = new OperatorFixture();
rbac.before(() => fx.setUp());
rbac.after(() => fx.tearDown());

rbac('a ServiceAccount with the documented Role reconciles a StreamJob', async () => {
  const ns = fx.namespace;
  const api = fx.kc.makeApiClient(RbacAuthorizationV1Api);
  await fx.core.createNamespacedServiceAccount({
    namespace: ns,
    body: { metadata: { name: 'riffle-operator' } },
  });
  await api.createNamespacedRole({
    namespace: ns,
    body: {
      metadata: { name: 'riffle-operator' },
      rules: [...WATCHED_NAMESPACE_RULES, ...OPERATOR_NAMESPACE_RULES].map((r) => ({ ...r })),
    },
  });
  await api.createNamespacedRoleBinding({
    namespace: ns,
    body: {
      metadata: { name: 'riffle-operator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'riffle-operator' },
      subjects: [{ kind: 'ServiceAccount', name: 'riffle-operator', namespace: ns }],
    },
  });
  const token = await fx.core.createNamespacedServiceAccountToken({
    name: 'riffle-operator',
    namespace: ns,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const cluster = fx.kc.getCurrentCluster()!;
  const kubeconfig = join(fx.dir, 'operator-kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'test', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } },
      ],
      users: [{ name: 'riffle-operator', user: { token: token.status!.token } }],
      contexts: [{ name: 'operator', context: { cluster: 'test', user: 'riffle-operator', namespace: ns } }],
      'current-context': 'operator',
    }),
  );
  const op = fx.startOperator({ KUBECONFIG: kubeconfig });
  await fx.create(await fx.streamJobManifest('least'));
  const job = await fx.waitForStatus('least', 'RUNNING', (j) => j.status?.job?.state === 'RUNNING');
  assert.ok(job.metadata.finalizers?.includes('riffle.dev/final-savepoint'));
  assert.ok(
    (await fx.events('least')).some((e) => e.reason === 'Submit'),
    'events written',
  );
  const warnings = fx.operatorLog(op).filter((l) => /forbidden|Forbidden/.test(JSON.stringify(l)));
  assert.equal(warnings, [], 'no request was forbidden');
});

rbac.run();
