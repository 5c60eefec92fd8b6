// The operator's configuration from its environment (the contract with the Helm chart; docs/operator.md).
import { hostname } from 'node:os';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type OperatorConfig = {
  /** Empty: all namespaces. */
  readonly watchNamespaces: readonly string[];
  readonly operatorNamespace: string;
  readonly leaderElection: boolean;
  readonly leaseName: string;
  readonly identity: string;
  readonly metricsPort: number;
  readonly healthPort: number;
  readonly jobManagerUrlTemplate: string | undefined;
  readonly logLevel: LogLevel;
  readonly workers: number;
  readonly resyncMs: number;
};

type Env = Record<string, string | undefined>;

function port(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new Error(`${key} must be a port number (0-65535), got "${raw}"`);
  return n;
}

function positiveInt(env: Env, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${key} must be a whole number >= 1, got "${raw}"`);
  return n;
}

function bool(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${key} must be true or false, got "${env[key]}"`);
}

export function operatorConfig(env: Env = process.env): OperatorConfig {
  const level = (env.RIFFLE_LOG_LEVEL ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(level))
    throw new Error(`RIFFLE_LOG_LEVEL must be debug, info, warn or error, got "${env.RIFFLE_LOG_LEVEL}"`);
  return {
    watchNamespaces: (env.RIFFLE_WATCH_NAMESPACES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    operatorNamespace: env.RIFFLE_OPERATOR_NAMESPACE || env.POD_NAMESPACE || 'default',
    leaderElection: bool(env, 'RIFFLE_LEADER_ELECTION', true),
    leaseName: env.RIFFLE_LEASE_NAME || 'riffle-operator',
    identity: env.POD_NAME || `${hostname()}-${process.pid}`,
    metricsPort: port(env, 'RIFFLE_METRICS_PORT', 9090),
    healthPort: port(env, 'RIFFLE_HEALTH_PORT', 8081),
    jobManagerUrlTemplate: env.RIFFLE_JOBMANAGER_URL_TEMPLATE || undefined,
    logLevel: level as LogLevel,
    workers: positiveInt(env, 'RIFFLE_RECONCILE_WORKERS', 8),
    resyncMs: positiveInt(env, 'RIFFLE_RESYNC_SECONDS', 15) * 1000,
  };
}

/**
 * The JobManager REST address of a StreamJob: the in-cluster Service, or the override template with
 * {name}, {namespace} and {port} (the spec's jobManager.port) filled in, for an operator outside the cluster.
 */
export function jobManagerUrl(
  template: string | undefined,
  job: { name: string; namespace: string; port: number },
): string {
  if (template === undefined) return `http://${job.name}-jobmanager.${job.namespace}.svc:${job.port}`;
  return template
    .replaceAll('{name}', job.name)
    .replaceAll('{namespace}', job.namespace)
    .replaceAll('{port}', String(job.port));
}
