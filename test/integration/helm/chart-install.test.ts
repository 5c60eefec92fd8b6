// helm install of charts/riffle-operator into the test control plane: the release deploys (kwok runs the
// operator pod), the StreamJob CRD is there and the example manifests are valid against it, the API server's
// RBAC authorizer grants the operator's ServiceAccount what it needs where it needs it and nothing more,
// helm upgrade changes the release, and helm uninstall removes it but keeps the CRD.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { loadTestEnv, repoRoot, uniqueName, waitFor } from '../test-env.ts';
import { CHART, helm, type KubeObject, valuesArgs } from './helm-cli.ts';
import { applyChartCrdIfPresent, canI, getJson, kubectl, withChartCrd } from './kube-cli.ts';

const install = suite('riffle-operator chart: helm install into the test control plane');
const CRD = 'streamjobs.riffle.dev';
const ns = uniqueName('riffle-helm');
const other = uniqueName('riffle-helm-other');
const clusterNs = uniqueName('riffle-helm-cw');
const release = 'riffle';
const clusterRelease = 'riffle-cw';
const sa = 'riffle-riffle-operator';
const dir = mkdtempSync(join(tmpdir(), 'riffle-chart-install-'));

async function crdExists(): Promise<boolean> {
  return kubectl(['get', 'crd', CRD, '-o', 'name']).then(
    () => true,
    () => false,
  );
}

install.before(async () => {
  loadTestEnv();
  await kubectl(['create', 'namespace', other]);
  // The release namespace enforces the restricted Pod Security Standard: the operator pod must pass it.
  await kubectl(['create', 'namespace', ns]);
  await kubectl(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted']);
});

install.after(async () => {
  await helm(['uninstall', release, '-n', ns, '--wait']);
  await helm(['uninstall', clusterRelease, '-n', clusterNs, '--wait']);
  for (const n of [ns, other, clusterNs])
    await kubectl(['delete', 'namespace', n, '--wait=false']).catch(() => '');
});

install('helm install deploys the operator (restricted Pod Security) and the StreamJob CRD', async () => {
  await applyChartCrdIfPresent(CHART);
  const result = await helm(['install', release, CHART, '-n', ns, '--wait', '--timeout', '2m']);
  assert.ok(result.ok, result.stderr);
  assert.match(result.stdout, /STATUS: deployed/);
  assert.match(result.stdout, /The Riffle operator .* is installed/);

  const chartCrd = parse(readFileSync(join(CHART, 'crds/streamjobs.riffle.dev.yaml'), 'utf8'));
  const shipped = chartCrd.spec.versions.map((v: KubeObject) => [v.name, v.schema, v.subresources]);
  const crd = await withChartCrd(CHART, async () => {
    const c = await waitFor('the StreamJob CRD to be established', async () => {
      const got = await getJson(['crd', CRD]);
      const established = got.status?.conditions?.some(
        (x: { type: string; status: string }) => x.type === 'Established' && x.status === 'True',
      );
      return established ? got : undefined;
    });
    const served = c.spec.versions.map((v: KubeObject) => [v.name, v.schema, v.subresources]);
    assert.equal(served, shipped, "the cluster serves the chart's CRD");
    return c;
  });
  assert.equal(crd.spec.names.shortNames, ['sj']);
  assert.is(crd.metadata.labels?.['app.kubernetes.io/managed-by'], undefined, 'no release owns the CRD');

  const pods = await waitFor('the operator pod to run', async () => {
    const list = await getJson(['pods', '-n', ns, '-l', 'app.kubernetes.io/component=operator']);
    return list.items?.length === 1 && list.items[0]!.status.phase === 'Running' ? list.items : undefined;
  });
  assert.is(pods[0]!.spec.serviceAccountName, sa);
  assert.is(pods[0]!.spec.containers[0].securityContext.readOnlyRootFilesystem, true);
});

install('the example StreamJobs are valid against the installed CRD (server-side dry run)', async () => {
  for (const example of ['fraud-detection', 'order-analytics']) {
    const out = await withChartCrd(CHART, () =>
      kubectl([
        'apply',
        '--dry-run=server',
        '-n',
        ns,
        '-f',
        join(repoRoot, `examples/${example}/streamjob.yaml`),
      ]),
    );
    assert.match(out, new RegExp(`streamjob.riffle.dev/${example} created \\(server dry run\\)`));
  }
  // The CRD schema refuses a malformed manifest at apply time.
  const bad = join(dir, 'bad-streamjob.yaml');
  const manifest = parse(readFileSync(join(repoRoot, 'examples/fraud-detection/streamjob.yaml'), 'utf8'));
  manifest.spec.job.upgradeMode = 'sometimes';
  writeFileSync(bad, JSON.stringify(manifest));
  const refused = await kubectl(['apply', '--dry-run=server', '-n', ns, '-f', bad]).then(
    () => '',
    (e: Error) => e.message,
  );
  assert.match(refused, /spec\.job\.upgradeMode.*Unsupported value: "sometimes"/);
});

install(
  'RBAC: the operator may do its work in its namespace and nothing else (API server authorizer)',
  async () => {
    const allowed: string[][] = [
      ['watch', 'streamjobs.riffle.dev', '-n', ns],
      ['patch', 'streamjobs.riffle.dev', '-n', ns, '--subresource=status'],
      ['update', 'streamjobs.riffle.dev', '-n', ns, '--subresource=finalizers'],
      ['patch', 'streamjobs.riffle.dev', '-n', ns, '--subresource=scale'],
      ['create', 'deployments.apps', '-n', ns],
      ['patch', 'services', '-n', ns],
      ['delete', 'configmaps', '-n', ns],
      ['list', 'pods', '-n', ns],
      ['create', 'events', '-n', ns],
      ['create', 'events.events.k8s.io', '-n', ns],
      ['update', 'leases.coordination.k8s.io', '-n', ns],
    ];
    const denied: string[][] = [
      ['list', 'streamjobs.riffle.dev', '-n', other],
      ['list', 'streamjobs.riffle.dev', '--all-namespaces'],
      ['create', 'deployments.apps', '-n', other],
      ['delete', 'streamjobs.riffle.dev', '-n', ns],
      ['create', 'streamjobs.riffle.dev', '-n', ns],
      ['create', 'secrets', '-n', ns],
      ['delete', 'pods', '-n', ns],
      ['create', 'pods', '-n', ns],
      ['update', 'leases.coordination.k8s.io', '-n', other],
      ['get', 'nodes'],
      ['create', 'clusterroles.rbac.authorization.k8s.io'],
      ['create', 'rolebindings.rbac.authorization.k8s.io', '-n', ns],
      ['update', 'customresourcedefinitions.apiextensions.k8s.io'],
    ];
    for (const args of allowed) assert.ok(await canI(sa, ns, args), `must be allowed: ${args.join(' ')}`);
    for (const args of denied) assert.not.ok(await canI(sa, ns, args), `must be denied: ${args.join(' ')}`);
  },
);

install('helm upgrade adds a watched namespace: its Role appears and the operator is told', async () => {
  const result = await helm([
    'upgrade',
    release,
    CHART,
    '-n',
    ns,
    '--wait',
    '--timeout',
    '2m',
    ...valuesArgs({ watchNamespaces: [ns, other], replicas: 2 }),
  ]);
  assert.ok(result.ok, result.stderr);
  assert.ok(
    await canI(sa, ns, ['list', 'streamjobs.riffle.dev', '-n', other]),
    'Role in the added namespace',
  );
  const deployment = await getJson(['deployment', '-n', ns, sa]);
  assert.is(deployment.spec.replicas, 2);
  const env = deployment.spec.template.spec.containers[0].env as { name: string; value?: string }[];
  assert.is(env.find((e) => e.name === 'RIFFLE_WATCH_NAMESPACES')?.value, `${ns},${other}`);
});

install(
  'watchAllNamespaces: a ClusterRole grants StreamJobs everywhere, the Lease only at home',
  async () => {
    const result = await helm([
      'install',
      clusterRelease,
      CHART,
      '-n',
      clusterNs,
      '--create-namespace',
      '--wait',
      '--timeout',
      '2m',
      ...valuesArgs({ watchAllNamespaces: true }),
    ]);
    assert.ok(result.ok, result.stderr);
    const cwSa = 'riffle-cw-riffle-operator';
    assert.ok(await canI(cwSa, clusterNs, ['list', 'streamjobs.riffle.dev', '--all-namespaces']));
    assert.ok(await canI(cwSa, clusterNs, ['create', 'deployments.apps', '-n', other]));
    assert.not.ok(await canI(cwSa, clusterNs, ['update', 'leases.coordination.k8s.io', '-n', other]));
    assert.ok(await canI(cwSa, clusterNs, ['update', 'leases.coordination.k8s.io', '-n', clusterNs]));
    assert.not.ok(await canI(cwSa, clusterNs, ['create', 'secrets', '-n', other]));
    const uninstalled = await helm(['uninstall', clusterRelease, '-n', clusterNs, '--wait']);
    assert.ok(uninstalled.ok, uninstalled.stderr);
    const left = await kubectl([
      'get',
      'clusterroles',
      '-l',
      `app.kubernetes.io/instance=${clusterRelease}`,
      '-o',
      'name',
    ]);
    assert.is(left.trim(), '', 'the ClusterRole goes with the release');
  },
);

install('helm uninstall removes the release but keeps the CRD', async () => {
  const result = await helm(['uninstall', release, '-n', ns, '--wait']);
  assert.ok(result.ok, result.stderr);
  const left = await kubectl([
    'get',
    'deployments,serviceaccounts,roles,rolebindings,services',
    '-n',
    ns,
    '-l',
    `app.kubernetes.io/instance=${release}`,
    '-o',
    'name',
  ]);
  assert.is(left.trim(), '');
  assert.ok(await crdExists(), 'the CRD stays, so StreamJobs survive an uninstall');
});

install.run();
