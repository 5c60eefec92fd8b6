// The node's "kubelet" HTTPS endpoint, for `kubectl logs`: the apiserver proxies
// GET /containerLogs/<namespace>/<pod>/<container>?tailLines=N&follow=true&previous=true to the node's
// InternalIP at daemonEndpoints.kubeletEndpoint.Port (it does not verify the serving certificate unless
// --kubelet-certificate-authority is set; the test env serves the apiserver's own certificate here).
import { createReadStream, existsSync, readFileSync, statSync, watch } from 'node:fs';
import https from 'node:https';

export type LogLookup = (
  namespace: string,
  pod: string,
  container: string,
  previous: boolean,
) => string | undefined;

function tail(file: string, lines: number): string {
  const text = readFileSync(file, 'utf8');
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all
    .slice(Math.max(0, all.length - lines))
    .map((l) => `${l}\n`)
    .join('');
}

export function startLogServer(
  host: string,
  port: number,
  tls: { cert: string; key: string },
  lookup: LogLookup,
): https.Server {
  const server = https.createServer(
    { cert: readFileSync(tls.cert), key: readFileSync(tls.key) },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://node');
      const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (req.method !== 'GET' || !m) {
        res.writeHead(404).end('the process node serves only /containerLogs\n');
        return;
      }
      const [, ns, pod, container] = m as unknown as [string, string, string, string];
      const file = lookup(ns, pod, container, url.searchParams.get('previous') === 'true');
      if (file === undefined || !existsSync(file)) {
        res.writeHead(404).end(`no logs for ${ns}/${pod}/${container} on this node\n`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      const tailLines = url.searchParams.get('tailLines');
      let offset = statSync(file).size;
      if (tailLines !== null) res.write(tail(file, Number(tailLines)));
      else {
        offset = 0;
      }
      const follow = url.searchParams.get('follow') === 'true';
      const pump = (end: boolean) => {
        const size = statSync(file).size;
        if (size <= offset) {
          if (end) res.end();
          return;
        }
        const stream = createReadStream(file, { start: offset, end: size - 1 });
        offset = size;
        stream.pipe(res, { end });
      };
      if (!follow) {
        pump(true);
        return;
      }
      pump(false);
      const watcher = watch(file, () => pump(false));
      req.on('close', () => watcher.close());
    },
  );
  server.listen(port, host);
  return server;
}
