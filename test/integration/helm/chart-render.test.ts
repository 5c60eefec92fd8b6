// The riffle-operator chart as helm renders it (helm lint --strict and helm template with the real helm
// binary): the expected objects for the default and alternative values, least-privilege RBAC that is exactly
// operator/src/permissions.ts and namespaced unless cluster-wide is asked for, a restricted pod, and the
// operator's environment contract (docs/operator.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { OPERATOR_NAMESPACE_RULES, WATCHED_NAMESPACE_RULES } from '../../../operator/src/permissions.ts';
import { repoRoot } from '../test-env.ts';
import { CHART, helm, type KubeObject, only, renderChart, valuesArgs } from './helm-cli.ts';

const render = suite('riffle-operator chart: lint and template');
const NS = 'riffle-system';
const appVersion = (parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string })
  .appVersion;

const ALTERNATIVE = {
  replicas: 2,
  watchNamespaces: ['team-a', 'team-b'],
  image: { repository: 'registry.example.com/riffle-operator', digest: `sha256:${'a'.repeat(64)}` },
  podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
  jobManagerUrlTemplate: 'http://{name}-jobmanager.{namespace}.svc.cluster.local:{port}',
  extraEnv: [{ name: 'NODE_OPTIONS', value: '--max-old-space-size=256' }],
  logLevel: 'debug',
};

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
const normalize = (rules: readonly Rule[]) =>
  rules
    .map((r) => JSON.stringify([[...r.apiGroups].sort(), [...r.resources].sort(), [...r.verbs].sort()]))
    .sort();

function env(deployment: KubeObject): Map<string, { value?: string; valueFrom?: unknown }> {
  const container = deployment.spec.template.spec.containers[0];
  return new Map(container.env.map((e: { name: string }) => [e.name, e]));
}

function assertNoWildcards(objects: KubeObject[]): void {
  for (const role of objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
    for (const rule of role.rules as Rule[]) {
      for (const field of ['apiGroups', 'resources', 'verbs'] as const)
        assert.not.ok(
          rule[field].includes('*'),
          `${role.kind} ${role.metadata.name}: ${field} has a wildcard`,
        );
      for (const verb of ['escalate', 'bind', 'impersonate', 'deletecollection'])
        assert.not.ok(rule.verbs.includes(verb), `${role.kind} ${role.metadata.name} grants ${verb}`);
    }
  }
}

render('helm lint --strict passes with the default and with alternative values', async () => {
  for (const values of [
    undefined,
    ALTERNATIVE,
    { watchAllNamespaces: true, leaderElection: { enabled: false } },
  ]) {
    const result = await helm(['lint', '--strict', CHART, ...valuesArgs(values)]);
    assert.ok(result.ok, `${JSON.stringify(values)}: ${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  }
});

render('defaults: the expected objects, all in the release namespace, nothing cluster-scoped', async () => {
  const objects = await renderChart({ namespace: NS });
  const kinds = objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
  assert.equal(kinds, [
    'Deployment/riffle-riffle-operator',
    'Role/riffle-riffle-operator',
    'Role/riffle-riffle-operator-leader-election',
    'RoleBinding/riffle-riffle-operator',
    'RoleBinding/riffle-riffle-operator-leader-election',
    'Service/riffle-riffle-operator-metrics',
    'ServiceAccount/riffle-riffle-operator',
  ]);
  for (const o of objects) assert.is(o.metadata.namespace, NS, `${o.kind} ${o.metadata.name}`);
  for (const o of objects) assert.is(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'Helm');
});

render(
  'defaults: RBAC is exactly operator/src/permissions.ts, no wildcards, bound to the ServiceAccount',
  async () => {
    const objects = await renderChart({ namespace: NS });
    assertNoWildcards(objects);
    const watched = only(objects, 'Role', 'riffle-riffle-operator');
    assert.equal(normalize(watched.rules), normalize(WATCHED_NAMESPACE_RULES));
    const lease = only(objects, 'Role', 'riffle-riffle-operator-leader-election');
    assert.equal(normalize(lease.rules), normalize(OPERATOR_NAMESPACE_RULES));
    for (const binding of objects.filter((o) => o.kind === 'RoleBinding')) {
      assert.equal(binding.subjects, [
        { kind: 'ServiceAccount', name: 'riffle-riffle-operator', namespace: NS },
      ]);
      assert.is(binding.roleRef.kind, 'Role');
      assert.is(binding.roleRef.name, binding.metadata.name);
    }
    const deployment = only(objects, 'Deployment');
    assert.is(deployment.spec.template.spec.serviceAccountName, 'riffle-riffle-operator');
  },
);

render(
  'watchNamespaces: a Role and RoleBinding in each listed namespace, the Lease Role in the release namespace',
  async () => {
    const objects = await renderChart({ namespace: NS, values: ALTERNATIVE });
    assertNoWildcards(objects);
    const roles = objects
      .filter((o) => o.kind === 'Role')
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    assert.equal(roles.sort(), [
      `${NS}/riffle-riffle-operator-leader-election`,
      'team-a/riffle-riffle-operator',
      'team-b/riffle-riffle-operator',
    ]);
    for (const ns of ['team-a', 'team-b']) {
      const binding = objects.find((o) => o.kind === 'RoleBinding' && o.metadata.namespace === ns);
      assert.equal(binding?.subjects, [
        { kind: 'ServiceAccount', name: 'riffle-riffle-operator', namespace: NS },
      ]);
    }
    assert.not.ok(
      objects.some((o) => o.kind.startsWith('Cluster')),
      'no cluster-scoped RBAC',
    );
    assert.is(env(only(objects, 'Deployment')).get('RIFFLE_WATCH_NAMESPACES')?.value, 'team-a,team-b');
  },
);

render(
  'watchAllNamespaces: one ClusterRole and ClusterRoleBinding with the same rules, no namespaced copies',
  async () => {
    const objects = await renderChart({ namespace: NS, values: { watchAllNamespaces: true } });
    assertNoWildcards(objects);
    const clusterRole = only(objects, 'ClusterRole');
    assert.equal(normalize(clusterRole.rules), normalize(WATCHED_NAMESPACE_RULES));
    const binding = only(objects, 'ClusterRoleBinding');
    assert.is(binding.roleRef.name, clusterRole.metadata.name);
    assert.equal(binding.subjects, [
      { kind: 'ServiceAccount', name: 'riffle-riffle-operator', namespace: NS },
    ]);
    // The Lease stays namespaced: leader election never needs cluster-wide rights.
    assert.equal(
      objects.filter((o) => o.kind === 'Role').map((o) => o.metadata.name),
      ['riffle-riffle-operator-leader-election'],
    );
    assert.is(env(only(objects, 'Deployment')).get('RIFFLE_WATCH_NAMESPACES')?.value, '');
  },
);

render('the operator pod: restrictive security context, probes on the health port, resources', async () => {
  const deployment = only(await renderChart({ namespace: NS }), 'Deployment');
  const pod = deployment.spec.template.spec;
  assert.is(pod.securityContext.runAsNonRoot, true);
  assert.is(pod.securityContext.runAsUser, 1000);
  assert.equal(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
  const [container, ...others] = pod.containers;
  assert.is(others.length, 0);
  assert.equal(container.securityContext, {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
  });
  assert.is(container.image, `ghcr.io/riffle-dev/riffle-operator:${appVersion}`);
  const ports = Object.fromEntries(
    container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]),
  );
  assert.equal(ports, { metrics: 9090, health: 8081 });
  assert.equal(container.livenessProbe.httpGet, { path: '/healthz', port: 'health' });
  assert.equal(container.readinessProbe.httpGet, { path: '/readyz', port: 'health' });
  assert.ok(
    container.resources.requests.memory && container.resources.limits.memory,
    'memory request and limit',
  );
  assert.equal(container.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
  assert.equal(deployment.spec.selector.matchLabels, {
    'app.kubernetes.io/name': 'riffle-operator',
    'app.kubernetes.io/instance': 'riffle',
    'app.kubernetes.io/component': 'operator',
  });
});

render('the operator environment follows the contract of docs/operator.md', async () => {
  const e = env(only(await renderChart({ namespace: NS }), 'Deployment'));
  assert.is(e.get('RIFFLE_WATCH_NAMESPACES')?.value, NS);
  assert.is(e.get('RIFFLE_OPERATOR_NAMESPACE')?.value, NS);
  assert.is(e.get('RIFFLE_LEADER_ELECTION')?.value, 'true');
  assert.is(e.get('RIFFLE_LEASE_NAME')?.value, 'riffle-riffle-operator');
  assert.equal(e.get('POD_NAME')?.valueFrom, { fieldRef: { fieldPath: 'metadata.name' } });
  assert.equal(e.get('POD_NAMESPACE')?.valueFrom, { fieldRef: { fieldPath: 'metadata.namespace' } });
  assert.is(e.get('RIFFLE_METRICS_PORT')?.value, '9090');
  assert.is(e.get('RIFFLE_HEALTH_PORT')?.value, '8081');
  assert.is(e.get('RIFFLE_LOG_LEVEL')?.value, 'info');
  assert.not.ok(e.has('RIFFLE_JOBMANAGER_URL_TEMPLATE'), 'in-cluster Service addresses by default');
  const alt = env(only(await renderChart({ namespace: NS, values: ALTERNATIVE }), 'Deployment'));
  assert.is(alt.get('RIFFLE_JOBMANAGER_URL_TEMPLATE')?.value, ALTERNATIVE.jobManagerUrlTemplate);
  assert.is(alt.get('NODE_OPTIONS')?.value, '--max-old-space-size=256');
  assert.is(alt.get('RIFFLE_LOG_LEVEL')?.value, 'debug');
});

render(
  'replicas with leader election roll without two leaders; without it the Deployment recreates',
  async () => {
    const alt = only(await renderChart({ namespace: NS, values: ALTERNATIVE }), 'Deployment');
    assert.is(alt.spec.replicas, 2);
    assert.equal(alt.spec.strategy, {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    assert.is(
      alt.spec.template.spec.containers[0].image,
      `registry.example.com/riffle-operator@sha256:${'a'.repeat(64)}`,
    );
    const objects = await renderChart({ namespace: NS, values: { leaderElection: { enabled: false } } });
    const single = only(objects, 'Deployment');
    assert.equal(single.spec.strategy, { type: 'Recreate' });
    assert.is(env(single).get('RIFFLE_LEADER_ELECTION')?.value, 'false');
    assert.not.ok(
      objects.some((o) => o.metadata.name.endsWith('leader-election')),
      'no Lease permissions',
    );
  },
);

render('optional objects: PodDisruptionBudget on request, metrics Service off on request', async () => {
  const withPdb = await renderChart({ namespace: NS, values: ALTERNATIVE });
  const pdb = only(withPdb, 'PodDisruptionBudget');
  const deployment = only(withPdb, 'Deployment');
  assert.equal(pdb.spec, {
    selector: { matchLabels: deployment.spec.selector.matchLabels },
    maxUnavailable: 1,
  });
  const service = only(withPdb, 'Service');
  assert.equal(service.spec.selector, deployment.spec.selector.matchLabels);
  assert.equal(service.spec.ports, [{ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }]);
  assert.not.ok((await renderChart({ namespace: NS })).some((o) => o.kind === 'PodDisruptionBudget'));
  const noService = await renderChart({
    namespace: NS,
    values: { metrics: { port: 9090, service: { enabled: false } } },
  });
  assert.not.ok(noService.some((o) => o.kind === 'Service'));
});

render(
  'the CRD ships in crds/ (installed by helm, never deleted by it) and equals the generated one',
  async () => {
    const shown = await helm(['show', 'crds', CHART]);
    assert.ok(shown.ok, shown.stderr);
    assert.is(
      shown.stdout.trim(),
      readFileSync(join(repoRoot, 'crds/streamjobs.riffle.dev.yaml'), 'utf8').trim(),
    );
    const crd = parse(shown.stdout) as KubeObject;
    assert.is(crd.metadata.name, 'streamjobs.riffle.dev');
    // Not a template: helm template leaves it out unless asked, and no release ever owns (or deletes) it.
    assert.not.ok((await renderChart({ namespace: NS })).some((o) => o.kind === 'CustomResourceDefinition'));
  },
);

render(
  'NOTES.txt names the watched namespaces and warns about a PodDisruptionBudget that blocks drains',
  async () => {
    const notes = async (values: Record<string, unknown>) => {
      const r = await helm([
        'install',
        'riffle',
        CHART,
        '--namespace',
        NS,
        '--dry-run=client',
        ...valuesArgs(values),
      ]);
      assert.ok(r.ok, r.stderr);
      return r.stdout.slice(r.stdout.indexOf('NOTES:'));
    };
    const defaults = await notes({});
    assert.match(defaults, `  - ${NS} (Role riffle-riffle-operator)`);
    assert.not.match(defaults, 'WARNING');
    assert.match(await notes({ watchAllNamespaces: true }), 'every namespace');
    assert.match(
      await notes({ podDisruptionBudget: { enabled: true } }),
      /WARNING: podDisruptionBudget\.enabled with replicas: 1/,
    );
  },
);

render.run();
