// Serves a request listener over node:http with timeouts that keep a slow or broken client from holding
// the JobManager's resources, and a JSON 400 for requests node cannot even parse.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from './rest-handler.ts';

export type RestServerOptions = {
  /** Default 127.0.0.1; use 0.0.0.0 in a pod. */
  readonly host?: string;
  /** Default 0 (an ephemeral port); Flink's default is 8081. */
  readonly port?: number;
  /** Time to receive a whole request; default 30 s. */
  readonly requestTimeoutMs?: number;
};

export type RestServer = {
  readonly server: Server;
  /** e.g. http://127.0.0.1:8081 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
};

export async function startRestServer(
  listener: RequestListener,
  options: RestServerOptions = {},
): Promise<RestServer> {
  const server = createServer(
    { requestTimeout: options.requestTimeoutMs ?? 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 },
    listener,
  );
  server.on('clientError', (error, socket) => {
    if (!socket.writable || (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ errors: [`malformed HTTP request: ${error.message}`] });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
