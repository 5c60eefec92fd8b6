// Cluster DNS on the process node: records from Services and EndpointSlices, resolved with a pod's
// search path; pod IPs from the node's address pool.
import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AddressPool } from '../../../hack/process-node/address-pool.ts';
import { resolveClusterName } from '../../../hack/process-node/cluster-dns.ts';
import { buildDnsRecords } from '../../../hack/process-node/dns-records.ts';

const svc = (name: string, ns: string, clusterIP: string, notReady = false): V1Service => ({
  metadata: { name, namespace: ns },
  spec: { clusterIP, publishNotReadyAddresses: notReady, ports: [{ name: 'http', port: 80 }] },
});
const slice = (ns: string, service: string, eps: Array<[string, boolean, string?]>): V1EndpointSlice => ({
  addressType: 'IPv4',
  metadata: { namespace: ns, labels: { 'kubernetes.io/service-name': service } },
  endpoints: eps.map(([ip, ready, hostname]) => ({
    addresses: [ip],
    conditions: { ready },
    ...(hostname ? { hostname } : {}),
  })),
  ports: [{ name: 'http', port: 8080 }],
});

const services = [
  svc('web', 'a', '10.96.0.20'),
  svc('jm', 'a', 'None'),
  svc('jm-all', 'a', 'None', true),
  svc('web', 'b', '10.96.0.30'),
];
const slices = new Map([
  [
    'a/jm',
    [
      slice('a', 'jm', [
        ['10.245.0.2', true, 'jm-0'],
        ['10.245.0.3', false],
      ]),
    ],
  ],
  ['a/jm-all', [slice('a', 'jm-all', [['10.245.0.3', false]])]],
]);
const records = buildDnsRecords(services, slices);

test('records: cluster IPs for Services, ready endpoints for headless ones, endpoint hostnames', () => {
  assert.equal(records.records, {
    'web.a.svc.cluster.local': ['10.96.0.20'],
    'jm.a.svc.cluster.local': ['10.245.0.2'],
    'jm-0.jm.a.svc.cluster.local': ['10.245.0.2'],
    'jm-all.a.svc.cluster.local': ['10.245.0.3'],
    'web.b.svc.cluster.local': ['10.96.0.30'],
  });
});

test('a pod resolves short and qualified names with its namespace search path', () => {
  const pod = { namespace: 'a', hostname: 'client-x', podIP: '10.245.0.9' };
  const table: Array<[string, readonly string[] | undefined]> = [
    ['web', ['10.96.0.20']],
    ['web.b', ['10.96.0.30']],
    ['web.b.svc', ['10.96.0.30']],
    ['web.b.svc.cluster.local', ['10.96.0.30']],
    ['web.b.svc.cluster.local.', ['10.96.0.30']],
    ['JM', ['10.245.0.2']],
    ['jm-0.jm', ['10.245.0.2']],
    ['localhost', ['10.245.0.9']],
    ['client-x', ['10.245.0.9']],
    ['10-245-0-4.a.pod.cluster.local', ['10.245.0.4']],
    ['example.com', undefined],
    ['nope.a.svc', undefined],
  ];
  for (const [name, want] of table) assert.equal(resolveClusterName(records, name, pod), want, name);
  assert.equal(
    resolveClusterName(records, 'web.b', undefined),
    ['10.96.0.30'],
    'from the host, namespaces are explicit',
  );
});

test('pod IPs are distinct, released and re-claimable; the CIDR must be a /16', () => {
  const pool = new AddressPool('10.245.0.0/16');
  const a = pool.allocate('ns/a');
  const b = pool.allocate('ns/b');
  assert.is(a, '10.245.0.1');
  assert.is(b, '10.245.0.2');
  assert.is(pool.allocate('ns/a'), a);
  assert.not.ok(pool.claim('ns/c', b), 'taken');
  pool.release('ns/b');
  assert.ok(pool.claim('ns/c', b));
  assert.not.ok(pool.claim('ns/d', '127.0.0.5'), 'outside the range');
  assert.throws(() => new AddressPool('10.245.0.0/24'), /must be an a\.b\.0\.0\/16 range/);
});

test.run();
