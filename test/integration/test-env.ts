// Loads the env file that `hack/test-env.sh up` writes (KUBECONFIG, Kafka, S3, tool paths) into
// process.env and returns it, so that integration tests talk to the real processes it started.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type TestEnv = {
  runDir: string;
  kubeconfig: string;
  kubectl: string;
  helm: string;
  k8sVersion: string;
  kafkaVersion: string;
  kafkaBootstrapServers: string[];
  s3Endpoint: string;
  s3Bucket: string;
  awsAccessKeyId: string;
  awsSecretAccessKey: string;
  awsRegion: string;
};

export const repoRoot = resolve(import.meta.dirname, '../..');

function envFilePath(): string {
  if (process.env.RIFFLE_TEST_ENV_FILE) return process.env.RIFFLE_TEST_ENV_FILE;
  const cache =
    process.env.RIFFLE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'riffle');
  const runDir = process.env.RIFFLE_RUN_DIR ?? join(cache, 'run');
  return join(runDir, 'env');
}

/** Parses the `export KEY='value'` lines of the env file (the format hack/test-env.sh writes). */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z_][A-Z0-9_]*)='([^']*)'$/.exec(line.trim());
    if (m) vars[m[1] as string] = m[2] as string;
  }
  return vars;
}

let cached: TestEnv | undefined;

export function loadTestEnv(): TestEnv {
  if (cached) return cached;
  const file = envFilePath();
  if (!existsSync(file)) {
    throw new Error(
      `test environment env file not found at ${file}: run \`bash hack/test-env.sh up\` (or \`npm test\`, which does) first`,
    );
  }
  const vars = parseEnvFile(readFileSync(file, 'utf8'));
  const need = (key: string): string => {
    const value = vars[key];
    if (value === undefined || value === '')
      throw new Error(`${file} has no ${key}: run \`bash hack/test-env.sh up\` again`);
    return value;
  };
  for (const [key, value] of Object.entries(vars)) {
    if (key !== 'RIFFLE_PATH_PREPEND') process.env[key] = value;
  }
  const prepend = vars.RIFFLE_PATH_PREPEND;
  if (prepend && !(process.env.PATH ?? '').startsWith(prepend)) {
    process.env.PATH = `${prepend}:${process.env.PATH ?? ''}`;
  }
  cached = {
    runDir: need('RIFFLE_RUN_DIR'),
    kubeconfig: need('KUBECONFIG'),
    kubectl: need('KUBECTL'),
    helm: need('HELM'),
    k8sVersion: need('K8S_VERSION'),
    kafkaVersion: need('KAFKA_VERSION'),
    kafkaBootstrapServers: need('KAFKA_BOOTSTRAP_SERVERS').split(','),
    s3Endpoint: need('S3_ENDPOINT'),
    s3Bucket: need('S3_BUCKET'),
    awsAccessKeyId: need('AWS_ACCESS_KEY_ID'),
    awsSecretAccessKey: need('AWS_SECRET_ACCESS_KEY'),
    awsRegion: need('AWS_REGION'),
  };
  return cached;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A name unique to this test run, valid as a Kafka topic, S3 key prefix or Kubernetes name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}
