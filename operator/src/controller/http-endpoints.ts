// The operator's two HTTP servers: GET /metrics (Prometheus) on the metrics port, GET /healthz and
// GET /readyz on the health port.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return (server.address() as { port: number }).port;
}

export function metricsServer(registry: Registry): Server {
  return createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
        .catch((e: Error) => res.writeHead(500).end(e.message));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
  });
}

export function healthServer(ready: () => { ok: boolean; detail: string }): Server {
  return createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (req.method === 'GET' && path === '/readyz') {
      const r = ready();
      res
        .writeHead(r.ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: r.ok ? 'ok' : 'not ready', detail: r.detail }));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /healthz or /readyz\n');
  });
}
