// The `riffle/test-http-server` image of the process node's tests: a tiny HTTP server on $PORT (default
// 8080, wildcard address, which the preload turns into the pod IP).
//   GET /healthz          200 "ok"
//   GET /env              the process environment as JSON
//   GET /whoami           {pid, hostname, podIP}
//   GET /file?path=<p>    the content of a file as the container sees it (volume mounts)
//   GET /fetch?url=<url>  fetches url (e.g. http://other-svc:8080/whoami) and relays status and body
// On SIGTERM it logs "received SIGTERM", appends a line to $TERM_MARKER_FILE if set, and exits 0.
import { appendFileSync, readFileSync } from 'node:fs';
import http from 'node:http';

const port = Number(process.env.PORT ?? 8080);

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://local');
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  try {
    if (url.pathname === '/healthz') {
      res.end('ok');
    } else if (url.pathname === '/env') {
      json(200, process.env);
    } else if (url.pathname === '/whoami') {
      json(200, { pid: process.pid, hostname: process.env.HOSTNAME, podIP: process.env.POD_IP });
    } else if (url.pathname === '/file') {
      res.end(readFileSync(url.searchParams.get('path') ?? '', 'utf8'));
    } else if (url.pathname === '/fetch') {
      const target = url.searchParams.get('url') ?? '';
      const r = await fetch(target, { signal: AbortSignal.timeout(5000) });
      json(200, { status: r.status, body: await r.text() });
    } else {
      json(404, { error: `no route ${url.pathname}` });
    }
  } catch (error) {
    json(502, { error: (error as Error).message, cause: String((error as Error).cause ?? '') });
  }
});

server.listen(port, () => {
  const a = server.address();
  console.log(`listening on ${typeof a === 'string' ? a : `${a?.address}:${a?.port}`}`);
});

process.on('SIGTERM', () => {
  console.log('received SIGTERM');
  if (process.env.TERM_MARKER_FILE)
    appendFileSync(process.env.TERM_MARKER_FILE, `${process.env.HOSTNAME} SIGTERM\n`);
  server.close();
  process.exit(0);
});
