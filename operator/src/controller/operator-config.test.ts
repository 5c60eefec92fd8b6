import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jobManagerUrl, operatorConfig } from './operator-config.ts';

const cfg = suite('operator config');

cfg('defaults', () => {
  const c = operatorConfig({ POD_NAME: 'op-0' });
  assert.equal(
    [
      c.watchNamespaces,
      c.operatorNamespace,
      c.leaderElection,
      c.leaseName,
      c.identity,
      c.metricsPort,
      c.healthPort,
      c.jobManagerUrlTemplate,
    ],
    [[], 'default', true, 'riffle-operator', 'op-0', 9090, 8081, undefined],
  );
});

cfg('namespaces, lease namespace from POD_NAMESPACE, bad values named', () => {
  const c = operatorConfig({
    RIFFLE_WATCH_NAMESPACES: 'a, b,',
    POD_NAMESPACE: 'ops',
    RIFFLE_LEADER_ELECTION: 'false',
  });
  assert.equal([c.watchNamespaces, c.operatorNamespace, c.leaderElection], [['a', 'b'], 'ops', false]);
  assert.throws(() => operatorConfig({ RIFFLE_METRICS_PORT: 'x' }), /RIFFLE_METRICS_PORT must be a port/);
  assert.throws(
    () => operatorConfig({ RIFFLE_LEADER_ELECTION: 'yes' }),
    /RIFFLE_LEADER_ELECTION must be true or false/,
  );
});

cfg('JobManager address: the Service by default, the template outside the cluster', () => {
  const job = { name: 'wc', namespace: 'ns', port: 18081 };
  assert.is(jobManagerUrl(undefined, job), 'http://wc-jobmanager.ns.svc:18081');
  assert.is(jobManagerUrl('http://127.0.0.1:{port}', job), 'http://127.0.0.1:18081');
  assert.is(jobManagerUrl('http://proxy/{namespace}/{name}', job), 'http://proxy/ns/wc');
});

cfg.run();
