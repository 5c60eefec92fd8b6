// The process node's preload in a real Node process: cluster names resolve from the records file with
// the pod's search path (dns.lookup and dns.promises.lookup, as net/http/fetch use them), other names go
// to the system resolver, a wildcard listen binds the pod IP, and os.hostname() is the pod's.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const run = promisify(execFile);
const preload = resolve(import.meta.dirname, '../../../hack/process-node/preload.ts');

const script = `
import dns from 'node:dns';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import { hostname } from 'node:os';
const out = {};
out.hostname = hostname();
out.short = await lookup('web');
out.qualified = await lookup('web.other.svc', { all: true });
out.localhost = await lookup('localhost');
out.callback = await new Promise((r) => dns.lookup('web.ns.svc.cluster.local', (e, a, f) => r([e?.code ?? null, a, f])));
out.missing = await lookup('gone.ns.svc').then(() => 'found', (e) => e.code);
out.system = (await lookup('127.0.0.1')).address;
const server = http.createServer((q, s) => s.end('hi'));
await new Promise((r) => server.listen(0, r));
out.listen = server.address().address;
server.close();
console.log(JSON.stringify(out));
`;

test('cluster names resolve in a pod process and wildcard listens bind the pod IP', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-preload-'));
  try {
    const dnsFile = join(dir, 'dns.json');
    writeFileSync(
      dnsFile,
      JSON.stringify({
        records: {
          'web.ns.svc.cluster.local': ['10.96.0.5'],
          'web.other.svc.cluster.local': ['10.245.0.8', '10.245.0.9'],
        },
      }),
    );
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        NODE_OPTIONS: `--import=${preload}`,
        RIFFLE_PN_DNS_FILE: dnsFile,
        RIFFLE_PN_POD_IP: '127.0.0.77',
        RIFFLE_PN_POD_NAMESPACE: 'ns',
        HOSTNAME: 'pod-a',
      },
    });
    assert.equal(JSON.parse(stdout), {
      short: { address: '10.96.0.5', family: 4 },
      qualified: [
        { address: '10.245.0.8', family: 4 },
        { address: '10.245.0.9', family: 4 },
      ],
      localhost: { address: '127.0.0.77', family: 4 },
      callback: [null, '10.96.0.5', 4],
      missing: 'ENOTFOUND',
      system: '127.0.0.1',
      listen: '127.0.0.77',
      hostname: 'pod-a',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
