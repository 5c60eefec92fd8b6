// Bad values are refused before anything is rendered, with a message naming the value: helm enforces
// values.schema.json (types, enums, patterns, unknown keys) and the chart's own checks refuse combinations
// (each message also says how to fix it).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CHART, helm, valuesArgs } from './helm-cli.ts';

const schema = suite('riffle-operator chart: values validation');

type Refusal = { name: string; values: Record<string, unknown>; message: RegExp; by: 'schema' | 'chart' };

// `schema`: refused by values.schema.json, so by helm lint as well. `chart`: refused by the chart's checks
// while rendering; helm lint reports a template's `fail` only as an [INFO] line, so these are checked with
// helm template (whose rendering install and upgrade share).
const REFUSED: Refusal[] = [
  {
    by: 'schema',
    name: 'a typo in a key',
    values: { replica: 2 },
    message: /additional properties 'replica' not allowed/,
  },
  {
    by: 'schema',
    name: 'a typo in a nested key',
    values: { image: { repo: 'x' } },
    message: /\/image.*'repo' not allowed/,
  },
  {
    by: 'schema',
    name: 'replicas as a string',
    values: { replicas: 'two' },
    message: /\/replicas.*got string, want integer/,
  },
  {
    by: 'schema',
    name: 'zero replicas',
    values: { replicas: 0 },
    message: /\/replicas.*minimum: got 0, want 1/,
  },
  {
    by: 'schema',
    name: 'an unknown pull policy',
    values: { image: { pullPolicy: 'Sometimes' } },
    message: /\/image\/pullPolicy.*'Always', 'IfNotPresent', 'Never'/,
  },
  {
    by: 'schema',
    name: 'a digest that is not one',
    values: { image: { digest: 'latest' } },
    message: /\/image\/digest.*latest/,
  },
  {
    by: 'schema',
    name: 'a namespace that is not a DNS label',
    values: { watchNamespaces: ['Team_A'] },
    message: /\/watchNamespaces\/0.*'Team_A'/,
  },
  {
    by: 'schema',
    name: 'an unknown log level',
    values: { logLevel: 'verbose' },
    message: /\/logLevel.*'debug', 'info'/,
  },
  {
    by: 'schema',
    name: 'a port out of range',
    values: { metrics: { port: 70000 } },
    message: /\/metrics\/port.*want 65,535/,
  },
  {
    by: 'schema',
    name: 'a URL template that is not http(s)',
    values: { jobManagerUrlTemplate: 'jobmanager:{port}' },
    message: /\/jobManagerUrlTemplate/,
  },
  {
    by: 'chart',
    name: 'two replicas without leader election',
    values: { replicas: 2, leaderElection: { enabled: false } },
    message: /replicas: 2 needs leaderElection\.enabled: true.*set replicas: 1/,
  },
  {
    by: 'chart',
    name: 'all namespaces and a list of namespaces',
    values: { watchAllNamespaces: true, watchNamespaces: ['team-a'] },
    message:
      /watchAllNamespaces: true watches every namespace, so watchNamespaces must be empty \(got team-a\)/,
  },
  {
    by: 'chart',
    name: 'the same port twice',
    values: { metrics: { port: 8081 } },
    message: /metrics\.port and health\.port are both 8081: give them different ports/,
  },
  {
    by: 'chart',
    name: 'no ServiceAccount at all',
    values: { serviceAccount: { create: false } },
    message: /serviceAccount\.name is required when serviceAccount\.create is false/,
  },
];

for (const c of REFUSED) {
  schema(`refuses ${c.name}, naming the value (${c.by})`, async () => {
    const commands = c.by === 'schema' ? ['template', 'lint'] : ['template'];
    for (const command of commands) {
      const result = await helm(
        command === 'template'
          ? ['template', 'riffle', CHART, ...valuesArgs(c.values)]
          : ['lint', '--strict', CHART, ...valuesArgs(c.values)],
      );
      assert.not.ok(result.ok, `helm ${command} accepted ${JSON.stringify(c.values)}`);
      assert.match(`${result.stdout}\n${result.stderr}`, c.message, `helm ${command}`);
    }
  });
}

schema(
  'accepts percentages, nulls and every documented value kind (the refusals above are not blanket)',
  async () => {
    const result = await helm([
      'template',
      'riffle',
      CHART,
      ...valuesArgs({
        podDisruptionBudget: { enabled: true, minAvailable: '50%', maxUnavailable: null },
        podSecurityContext: { runAsUser: null, runAsGroup: null },
        resources: { requests: { cpu: 0.5, memory: '200Mi' }, limits: { memory: '1Gi' } },
        watchNamespaces: ['team-a'],
        imagePullSecrets: [{ name: 'regcred' }],
        serviceAccount: { create: false, name: 'existing' },
      }),
    ]);
    assert.ok(result.ok, result.stderr);
    assert.match(result.stdout, /minAvailable: 50%/);
  },
);

schema.run();
