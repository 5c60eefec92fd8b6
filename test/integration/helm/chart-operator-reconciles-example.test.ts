// An operator started with the chart's configuration reconciles an example StreamJob. The chart is installed
// into the test control plane (kwok plays the operator pod, without running it); then the real operator
// process runs here with exactly the environment of the installed Deployment (its fieldRefs resolved from
// the kwok pod) and a kubeconfig holding a token of the chart's ServiceAccount, so every request it makes is
// authorized by the chart's RBAC and nothing else. It leads through the chart's Lease, reconciles
// examples/fraud-detection/streamjob.yaml (the process kubelet runs the real JobManager and TaskManager from
// the Deployments it creates), and on delete takes the final savepoint to S3 before the children go.
// The only values that differ from the defaults are the outside-the-cluster ones: the JobManager address
// template (127.0.0.1), free local ports for metrics and health (and no metrics Service), and a 1 s resync.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { freePort } from '../cluster/local-cluster.ts';
import { ProcessKubelet } from '../operator/process-kubelet.ts';
import { loadTestEnv, repoRoot, uniqueName, waitFor } from '../test-env.ts';
import { CHART, helm, type KubeObject, valuesArgs } from './helm-cli.ts';
import { applyChartCrdIfPresent, getJson, kubectl, withChartCrd } from './kube-cli.ts';

const reconcile = suite('an operator started with the chart configuration reconciles an example StreamJob');
const ns = uniqueName('riffle-chart-op');
const release = 'riffle';
const fullname = 'riffle-riffle-operator';
const job = 'fraud-detection';
const dir = mkdtempSync(join(tmpdir(), 'riffle-chart-op-'));
let operator: ChildProcess | undefined;
let kubelet: ProcessKubelet | undefined;
const operatorLog = join(dir, 'operator.log');

type EnvVar = { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } };

/** The container's environment as the kubelet would give it: fieldRefs read from the pod object. */
function resolveEnv(env: EnvVar[], pod: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) {
    if (e.value !== undefined) out[e.name] = e.value;
    else if (e.valueFrom?.fieldRef) {
      const value = e.valueFrom.fieldRef.fieldPath
        .split('.')
        .reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], pod);
      if (typeof value !== 'string')
        throw new Error(`${e.name}: ${e.valueFrom.fieldRef.fieldPath} not on the pod`);
      out[e.name] = value;
    } else
      throw new Error(`${e.name}: only values and fieldRefs are resolved here, got ${JSON.stringify(e)}`);
  }
  return out;
}

/**
 * A port the operator can listen on with all addresses (as it does in a pod): below the ephemeral range, so
 * that no outgoing connection holds it, and free on every address right now.
 */
async function listenablePort(not?: number): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (port === not) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

function logTail(): string {
  try {
    return readFileSync(operatorLog, 'utf8').trim().split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}

async function streamJob(): Promise<KubeObject | undefined> {
  return getJson(['streamjob', job, '-n', ns]).catch(() => undefined);
}

reconcile.before(async () => {
  loadTestEnv();
  await applyChartCrdIfPresent(CHART);
});

reconcile.after(async () => {
  if (operator && operator.exitCode === null && operator.signalCode === null) {
    const exited = new Promise((r) => operator!.once('exit', r));
    operator.kill('SIGKILL');
    await exited;
  }
  await kubelet?.stop();
  if (await streamJob())
    await kubectl([
      'patch',
      'streamjob',
      job,
      '-n',
      ns,
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":[]}}',
    ]).catch(() => '');
  await helm(['uninstall', release, '-n', ns, '--wait']);
  await kubectl(['delete', 'namespace', ns, '--wait=false']).catch(() => '');
});

reconcile('install, run the operator as the chart configures it, apply the example, delete it', async () => {
  const env = loadTestEnv();
  const metricsPort = await listenablePort();
  const healthPort = await listenablePort(metricsPort);
  const jobManagerPort = await freePort();
  const installed = await helm([
    'install',
    release,
    CHART,
    '-n',
    ns,
    '--create-namespace',
    ...valuesArgs({
      jobManagerUrlTemplate: 'http://127.0.0.1:{port}',
      // No metrics Service: a Service port is bound locally by the test environment's process node (its
      // kube-proxy stand-in), which would collide with this operator listening on the same port.
      metrics: { port: metricsPort, service: { enabled: false } },
      health: { port: healthPort },
      resyncSeconds: 1,
      logLevel: 'debug',
    }),
  ]);
  assert.ok(installed.ok, installed.stderr);

  // The chart's configuration: the installed Deployment's env, resolved against the (kwok) operator pod.
  // (chart-install.test.ts waits for that pod to run; here only its name and namespace matter.)
  const pod = await waitFor(
    'the operator pod to be created',
    async () => {
      const list = await getJson(['pods', '-n', ns, '-l', 'app.kubernetes.io/component=operator']);
      return list.items?.[0];
    },
    180_000,
  );
  const deployment = await getJson(['deployment', fullname, '-n', ns]);
  const chartEnv = resolveEnv(deployment.spec.template.spec.containers[0].env, pod);
  assert.is(chartEnv.RIFFLE_WATCH_NAMESPACES, ns);
  assert.is(chartEnv.POD_NAME, pod.metadata.name);

  // Its identity: a token of the chart's ServiceAccount (what the pod would have mounted).
  const token = (
    await kubectl([
      'create',
      'token',
      deployment.spec.template.spec.serviceAccountName,
      '-n',
      ns,
      '--duration=1h',
    ])
  ).trim();
  const admin = new KubeConfig();
  admin.loadFromFile(env.kubeconfig);
  const cluster = admin.getCurrentCluster()!;
  const kubeconfig = join(dir, 'operator-kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'test', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } },
      ],
      users: [{ name: 'riffle-operator', user: { token } }],
      contexts: [{ name: 'operator', context: { cluster: 'test', user: 'riffle-operator', namespace: ns } }],
      'current-context': 'operator',
    }),
  );
  const out = createWriteStream(operatorLog);
  operator = spawn(process.execPath, [join(repoRoot, 'operator/src/main.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Nothing from this process's environment but PATH and HOME: the chart's env is the whole configuration.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...chartEnv, KUBECONFIG: kubeconfig },
  });
  operator.stdout!.pipe(out);
  operator.stderr!.pipe(out);

  // The chart's readiness probe path on the chart's health port, and the Lease the chart grants.
  await waitFor('GET /readyz on the chart health port', async () => {
    if (operator?.exitCode !== null) throw new Error(`the operator exited with ${operator?.exitCode}`);
    const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined);
    return res?.ok ? true : undefined;
  }).catch((e: Error) => {
    throw new Error(`${e.message}\n${logTail()}`);
  });
  const lease = await waitFor('the operator to hold the chart Lease', async () => {
    const l = await getJson(['lease', chartEnv.RIFFLE_LEASE_NAME!, '-n', ns]).catch(() => undefined);
    return l?.spec.holderIdentity === pod.metadata.name ? l : undefined;
  });
  assert.is(lease.metadata.name, fullname);

  // The example, as a user applies it; only what differs outside a cluster is changed (see the header).
  kubelet = new ProcessKubelet(admin, ns, join(dir, 'pods'));
  kubelet.start();
  await kubectl([
    'create',
    'secret',
    'generic',
    'riffle-s3',
    '-n',
    ns,
    `--from-literal=AWS_ACCESS_KEY_ID=${env.awsAccessKeyId}`,
    `--from-literal=AWS_SECRET_ACCESS_KEY=${env.awsSecretAccessKey}`,
    `--from-literal=AWS_ENDPOINT_URL_S3=${env.s3Endpoint}`,
  ]);
  const manifest = parse(readFileSync(join(repoRoot, `examples/${job}/streamjob.yaml`), 'utf8'));
  const prefix = `s3://${env.s3Bucket}/${ns}`;
  manifest.spec.checkpointing.storage = `${prefix}/checkpoints`;
  manifest.spec.savepoints.directory = `${prefix}/savepoints`;
  manifest.spec.savepoints.timeout = '60s';
  manifest.spec.jobManager.port = jobManagerPort;
  manifest.spec.job.args = ['--live', '--rate', '200'];
  manifest.spec.taskManager.replicas = 1;
  const file = join(dir, 'streamjob.yaml');
  writeFileSync(file, stringify(manifest));
  await withChartCrd(CHART, () => kubectl(['apply', '-n', ns, '-f', file]));

  const running = await waitFor(
    `${job} to run`,
    async () => {
      const sj = await streamJob();
      return sj?.status?.job?.state === 'RUNNING' ? sj : undefined;
    },
    90_000,
  ).catch(async (e: Error) => {
    throw new Error(
      `${e.message}\nstatus: ${JSON.stringify((await streamJob())?.status)}\n${logTail()}\n${kubelet?.logs()}`,
    );
  });
  assert.ok(['DEPLOYED', 'STABLE'].includes(running.status.lifecycleState), running.status.lifecycleState);
  assert.ok(running.metadata.finalizers?.includes('riffle.dev/final-savepoint'), 'finalizer added');
  const uid = running.metadata.uid;
  const children = await getJson([
    'deployments,services,configmaps',
    '-n',
    ns,
    '-l',
    `riffle.dev/streamjob=${job}`,
  ]);
  const names = (children.items ?? []).map((o) => `${o.kind}/${o.metadata.name}`).sort();
  assert.equal(names, [
    `ConfigMap/${job}-config`,
    `Deployment/${job}-jobmanager`,
    `Deployment/${job}-taskmanager`,
    `Service/${job}-jobmanager`,
  ]);
  for (const child of children.items ?? [])
    assert.equal(
      (child.metadata as { ownerReferences?: { uid: string; controller: boolean }[] }).ownerReferences?.map(
        (o) => [o.uid, o.controller],
      ),
      [[uid, true]],
      `${child.kind} ${child.metadata.name} is owned by the StreamJob`,
    );
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  assert.match(metrics, /^riffle_operator_leader 1$/m);

  // Delete: the final savepoint (finalizer) completes, then the StreamJob and its children go.
  await kubectl(['delete', 'streamjob', job, '-n', ns, '--wait=false']);
  await waitFor(
    'the StreamJob to be deleted after its final savepoint',
    async () => ((await streamJob()) ? undefined : true),
    90_000,
  ).catch(async (e: Error) => {
    throw new Error(`${e.message}\nstatus: ${JSON.stringify((await streamJob())?.status)}\n${logTail()}`);
  });
  const events = await getJson(['events', '-n', ns, '--field-selector', `involvedObject.name=${job}`]);
  const finalSavepoint = (events.items ?? []).find((e) => e.reason === 'FinalSavepoint');
  assert.ok(
    finalSavepoint,
    `a FinalSavepoint event: ${(events.items ?? []).map((e) => e.reason).join(', ')}`,
  );
  assert.match(finalSavepoint.message, prefix);
  await waitFor('the children to be garbage-collected', async () => {
    const left = await getJson([
      'deployments,services,configmaps',
      '-n',
      ns,
      '-l',
      `riffle.dev/streamjob=${job}`,
    ]);
    return left.items?.length === 0 ? true : undefined;
  });
  const forbidden = readFileSync(operatorLog, 'utf8')
    .split('\n')
    .filter((l) => /forbidden/i.test(l));
  assert.equal(forbidden, [], 'no request of the operator was forbidden by the chart RBAC');
});

reconcile.run();
