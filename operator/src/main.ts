// `node operator/src/main.ts` (npm run operator): the Riffle operator. Configuration comes from the
// environment (controller/operator-config.ts, docs/operator.md); the kubeconfig is the in-cluster one in a
// pod, else KUBECONFIG or ~/.kube/config. With leader election (default) only the Lease holder runs the
// controller; a replica that loses the lease exits, so two replicas never act at once.
import { existsSync } from 'node:fs';
import { healthServer, listen, metricsServer } from './controller/http-endpoints.ts';
import { createLogger } from './controller/log.ts';
import { operatorConfig } from './controller/operator-config.ts';
import { OperatorMetrics } from './controller/operator-metrics.ts';
import { StreamJobController } from './controller/stream-job-controller.ts';
import { kubeClient, leaseApi } from './kube/kube-client.ts';
import { LeaderElector } from './kube/leader-election.ts';
import { PooledKubeConfig } from './kube/pooled-kube-config.ts';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function loadKubeConfig(): PooledKubeConfig {
  const kc = new PooledKubeConfig();
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN) && !process.env.KUBECONFIG)
    kc.loadFromCluster();
  else kc.loadFromDefault();
  return kc;
}

async function main(): Promise<void> {
  const config = operatorConfig();
  const log = createLogger(config.logLevel, { component: 'riffle-operator', identity: config.identity });
  const kc = loadKubeConfig();
  const metrics = new OperatorMetrics();
  const controller = new StreamJobController({ kc, kube: kubeClient(kc), config, log, metrics });
  let elector: LeaderElector | undefined;
  const metricsHttp = metricsServer(metrics.registry);
  const healthHttp = healthServer(() => {
    if (elector !== undefined && !elector.isLeader) return { ok: true, detail: 'standby' };
    return controller.synced
      ? { ok: true, detail: 'leading' }
      : { ok: false, detail: 'informers not synced' };
  });
  const metricsPort = await listen(metricsHttp, config.metricsPort);
  const healthPort = await listen(healthHttp, config.healthPort);
  log.info('Operator started', {
    metricsPort,
    healthPort,
    leaderElection: config.leaderElection,
    jobManagerUrlTemplate: config.jobManagerUrlTemplate,
  });

  const startController = () => {
    metrics.leader.set(1);
    controller.start().catch((e: Error) => {
      log.error('Controller failed to start', { error: e.message });
      process.exit(1);
    });
  };
  if (config.leaderElection) {
    elector = new LeaderElector(leaseApi(kc), {
      namespace: config.operatorNamespace,
      name: config.leaseName,
      identity: config.identity,
      onStartedLeading: () => {
        log.info('Became leader', { lease: `${config.operatorNamespace}/${config.leaseName}` });
        startController();
      },
      onStoppedLeading: () => {
        metrics.leader.set(0);
        log.error('Lost the leader lease; exiting so that two replicas never act at once');
        process.exit(1);
      },
      onError: (e) => log.warn('Leader election attempt failed', { error: (e as Error).message }),
    });
    elector.start();
  } else startController();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('Stopping', { signal });
    await controller.stop().catch(() => undefined);
    await elector?.stop().catch(() => undefined);
    metricsHttp.close();
    healthHttp.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e: Error) => {
  process.stderr.write(`riffle-operator: ${e.message}\n`);
  process.exit(1);
});
