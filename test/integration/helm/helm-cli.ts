// helm (built by hack/test-env.sh) for the chart tests: runs it with its homes under the run directory and
// parses what `helm template` renders.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { loadTestEnv, repoRoot } from '../test-env.ts';

const run = promisify(execFile);

export const CHART = join(repoRoot, 'charts/riffle-operator');

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    finalizers?: string[];
    ownerReferences?: { uid: string; controller?: boolean }[];
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are read field by field in assertions
  [field: string]: any;
};

export type HelmResult = { ok: boolean; stdout: string; stderr: string };

/** Runs helm; never throws, so tests can assert on failures and their messages. */
export async function helm(args: string[]): Promise<HelmResult> {
  const env = loadTestEnv();
  try {
    const { stdout, stderr } = await run(env.helm, args, {
      env: {
        ...process.env,
        KUBECONFIG: env.kubeconfig,
        HELM_CACHE_HOME: join(env.runDir, 'helm/cache'),
        HELM_CONFIG_HOME: join(env.runDir, 'helm/config'),
        HELM_DATA_HOME: join(env.runDir, 'helm/data'),
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { ok: true, stdout, stderr };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, stdout: err.stdout ?? '', stderr: err.stderr ?? err.message };
  }
}

/** `-f <file>` arguments for values given as an object (JSON is YAML). */
export function valuesArgs(values: Record<string, unknown> | undefined): string[] {
  if (values === undefined) return [];
  const file = join(mkdtempSync(join(tmpdir(), 'riffle-chart-values-')), 'values.yaml');
  writeFileSync(file, JSON.stringify(values));
  return ['-f', file];
}

export type RenderOptions = { release?: string; namespace?: string; values?: Record<string, unknown> };

/** The objects `helm template` renders (throws with helm's message when it refuses the values). */
export async function renderChart(options: RenderOptions = {}): Promise<KubeObject[]> {
  const result = await helm([
    'template',
    options.release ?? 'riffle',
    CHART,
    '--namespace',
    options.namespace ?? 'riffle-system',
    ...valuesArgs(options.values),
  ]);
  if (!result.ok) throw new Error(`helm template failed: ${result.stderr}`);
  return parseManifests(result.stdout);
}

export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

export function only(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1)
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, rendered ${found.length}`);
  return found[0]!;
}
