// kubectl (built by hack/test-env.sh) for the chart tests, with the admin kubeconfig unless told otherwise.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadTestEnv } from '../test-env.ts';
import type { KubeObject } from './helm-cli.ts';

const run = promisify(execFile);

export async function kubectl(args: string[], kubeconfig?: string): Promise<string> {
  const env = loadTestEnv();
  try {
    const { stdout } = await run(env.kubectl, ['--kubeconfig', kubeconfig ?? env.kubeconfig, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')}: ${err.stderr || err.message}`);
  }
}

export async function getJson(args: string[]): Promise<KubeObject & { items?: KubeObject[] }> {
  return JSON.parse(await kubectl(['get', ...args, '-o', 'json']));
}

/** `kubectl auth can-i` as a ServiceAccount: the API server's RBAC authorizer answers. */
export async function canI(serviceAccount: string, namespace: string, args: string[]): Promise<boolean> {
  const env = loadTestEnv();
  const result = await run(env.kubectl, [
    '--kubeconfig',
    env.kubeconfig,
    'auth',
    'can-i',
    `--as=system:serviceaccount:${namespace}:${serviceAccount}`,
    ...args,
  ]).then(
    (r) => r.stdout,
    (e: { stdout?: string; stderr?: string }) => {
      if (e.stdout?.trim() === 'no') return 'no';
      throw new Error(`kubectl auth can-i ${args.join(' ')}: ${e.stderr}`);
    },
  );
  return result.trim() === 'yes';
}

/**
 * helm installs the chart's crds/ only when the CRD is absent and never upgrades it (docs/operator-install.md).
 * On a control plane that already has one (other suites apply it), apply the chart's CRD first, as the docs
 * say, under its own field manager, which keeps these fields even when another client applies fewer of them.
 */
export async function applyChartCrdIfPresent(chart: string): Promise<void> {
  const present = await kubectl(['get', 'crd', 'streamjobs.riffle.dev', '-o', 'name']).then(
    () => true,
    () => false,
  );
  if (present)
    await kubectl([
      'apply',
      '--server-side',
      '--force-conflicts',
      '--field-manager=riffle-helm-it',
      '-f',
      join(chart, 'crds'),
    ]);
}

/**
 * Runs `check` against the chart's CRD: applies it (applyChartCrdIfPresent) and retries a few times when
 * `check` fails. Other suites of the shared test control plane apply the StreamJob CRD too, and a CRD's
 * schema is replaced as a whole by the last apply, so an apply of a different copy can land in between.
 */
export async function withChartCrd<T>(chart: string, check: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await applyChartCrdIfPresent(chart);
    try {
      return await check();
    } catch (e) {
      if (attempt >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
