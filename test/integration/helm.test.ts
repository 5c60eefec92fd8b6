// helm is real: the helm binary built by hack/test-env.sh lints and renders a small chart, with the
// Kubernetes version of the test control plane compiled in (so `kubeVersion` constraints hold).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadTestEnv } from './test-env.ts';

const run = promisify(execFile);
const helm = suite('helm (built by hack/test-env.sh)');
const chart = join(import.meta.dirname, 'fixtures/riffle-smoke');

async function helmCmd(args: string[]): Promise<string> {
  const env = loadTestEnv();
  const { stdout } = await run(env.helm, args, {
    env: {
      ...process.env,
      HELM_CACHE_HOME: join(env.runDir, 'helm/cache'),
      HELM_CONFIG_HOME: join(env.runDir, 'helm/config'),
      HELM_DATA_HOME: join(env.runDir, 'helm/data'),
    },
  });
  return stdout;
}

helm('helm lint passes on the fixture chart', async () => {
  const out = await helmCmd(['lint', '--strict', chart]);
  assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

helm('helm lint fails on a broken value', async () => {
  const failed = await helmCmd([
    'lint',
    '--strict',
    chart,
    '--set',
    'replicas=null',
    '--set',
    'image=oops',
  ]).then(
    () => false,
    () => true,
  );
  assert.ok(failed, 'helm lint must reject a chart that cannot render');
});

helm('helm template renders the manifests with the control plane version', async () => {
  const env = loadTestEnv();
  const out = await helmCmd(['template', 'smoke', chart, '--set', 'replicas=3']);
  assert.match(out, /kind: Deployment/);
  assert.match(out, /name: smoke-taskmanager/);
  assert.match(out, /replicas: 3/);
  assert.match(out, /image: "riffle\/runtime:dev"/);
  const minor = /^v1\.(\d+)\./.exec(env.k8sVersion)?.[1];
  assert.match(out, new RegExp(`kubeVersion: "v1\\.${minor}\\.0"`));
});

helm.run();
