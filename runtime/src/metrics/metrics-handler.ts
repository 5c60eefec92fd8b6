// GET /metrics in Prometheus' text format, as a node:http request listener: mounted by the REST handler on
// the JobManager, or served alone (any other path is a 404) on a TaskManager.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export function createMetricsHandler(
  registry: Registry,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname.replace(/^\/v1(?=\/)/, '').replace(/\/$/, '');
      if (path !== '/metrics') return send(res, 404, 'not found: metrics are at GET /metrics\n');
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(res, 405, `${req.method} /metrics is not supported; use GET\n`, { allow: 'GET, HEAD' });
      send(res, 200, await registry.metrics(), { 'content-type': registry.contentType });
    } catch (e) {
      send(res, 500, `metrics could not be collected: ${(e as Error)?.message ?? e}\n`);
    }
  };
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
