// The process node's probes against a real local server: httpGet (2xx/3xx ok, named ports), tcpSocket,
// exec by exit code; ProbeLoop reports a verdict after the thresholds.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ProbeLoop, probePort, runProbe } from '../../../hack/process-node/probes.ts';

async function withServer(fn: (port: number) => Promise<void>): Promise<void> {
  const server = http.createServer((req, res) => {
    res.statusCode = req.url === '/ok' ? 200 : req.url === '/moved' ? 302 : 503;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.close();
  }
}

const exec = async (argv: readonly string[]) => (argv[0] === 'true' ? 0 : 1);

test('probe ports by number or container port name', () => {
  const ports = [{ name: 'rest', containerPort: 8081 }];
  assert.is(probePort(8081, ports), 8081);
  assert.is(probePort('9090', ports), 9090);
  assert.is(probePort('rest', ports), 8081);
  assert.throws(() => probePort('metrics', ports), /probe port "metrics" names no container port/);
});

test('httpGet, tcpSocket and exec probes', async () => {
  await withServer(async (port) => {
    const ctx = { podIP: '127.0.0.1', ports: [{ name: 'http', containerPort: port }], exec };
    assert.ok(await runProbe({ httpGet: { path: '/ok', port: 'http' } }, ctx));
    assert.ok(await runProbe({ httpGet: { path: '/moved', port } }, ctx));
    assert.not.ok(await runProbe({ httpGet: { path: '/fail', port } }, ctx));
    assert.ok(await runProbe({ tcpSocket: { port } }, ctx));
    assert.ok(await runProbe({ exec: { command: ['true'] } }, ctx));
    assert.not.ok(await runProbe({ exec: { command: ['false'] } }, ctx));
  });
  const closed = { podIP: '127.0.0.1', ports: [], exec };
  assert.not.ok(await runProbe({ tcpSocket: { port: 1 } }, closed));
  assert.not.ok(await runProbe({ httpGet: { path: '/', port: 1 } }, closed));
});

test('a probe loop reports failure only after failureThreshold consecutive failures', async () => {
  const ctx = { podIP: '127.0.0.1', ports: [], exec };
  const verdict = await new Promise<{ ok: boolean; ms: number }>((resolve) => {
    const t0 = Date.now();
    const loop = new ProbeLoop(
      { exec: { command: ['false'] }, periodSeconds: 0.05, failureThreshold: 3 } as never,
      ctx,
      (ok) => {
        loop.stop();
        resolve({ ok, ms: Date.now() - t0 });
      },
    );
    loop.start();
  });
  assert.not.ok(verdict.ok);
  assert.ok(verdict.ms >= 90, `three probes 50 ms apart, took ${verdict.ms} ms`);
});

test.run();
