// A small HTTPS client for the kube-apiserver: the admin kubeconfig's cluster and client certificate are
// loaded with @kubernetes/client-node's KubeConfig (hoisted from the operator workspace), requests go through
// node:https so that the process node controls content types (merge patches on /status) and watch streams.
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export class KubeApiError extends Error {
  readonly status: number;
  constructor(method: string, path: string, status: number, body: string) {
    super(`${method} ${path} failed with HTTP ${status}: ${body.slice(0, 500)}`);
    this.status = status;
  }
}

export type WatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: T };

export class KubeApi {
  readonly server: URL;
  readonly caPem: string;
  private readonly tls: https.RequestOptions;

  private constructor(server: URL, tls: https.RequestOptions, caPem: string) {
    this.server = server;
    this.tls = tls;
    this.caPem = caPem;
  }

  static async fromKubeconfig(file: string): Promise<KubeApi> {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`kubeconfig ${file} has no current cluster: set current-context`);
    const tls: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    const ca = tls.ca;
    const caPem = ca === undefined ? '' : Buffer.isBuffer(ca) ? ca.toString('utf8') : String(ca);
    return new KubeApi(new URL(cluster.server), tls, caPem);
  }

  private open(method: string, path: string, headers: Record<string, string>): https.RequestOptions {
    return {
      ...this.tls,
      method,
      hostname: this.server.hostname,
      port: this.server.port,
      path,
      headers: { accept: 'application/json', ...headers },
    };
  }

  /** One request; resolves with the parsed JSON body, rejects with KubeApiError on a non-2xx status. */
  request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> =
      payload === undefined
        ? {}
        : { 'content-type': contentType, 'content-length': String(Buffer.byteLength(payload)) };
    return new Promise<T>((resolve, reject) => {
      const req = https.request(this.open(method, path, headers), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) reject(new KubeApiError(method, path, status, text));
          else resolve((text === '' ? {} : JSON.parse(text)) as T);
        });
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out after 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** A watch stream: calls onEvent per line until the server ends it, the signal aborts, or an error. */
  watch<T>(path: string, onEvent: (event: WatchEvent<T>) => void, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const req = https.request({ ...this.open('GET', path, {}), signal }, (res) => {
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => reject(new KubeApiError('GET', path, res.statusCode ?? 0, text)));
          return;
        }
        let buffered = '';
        res.on('data', (c: Buffer) => {
          buffered += c.toString('utf8');
          let nl = buffered.indexOf('\n');
          while (nl >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line !== '') onEvent(JSON.parse(line) as WatchEvent<T>);
            nl = buffered.indexOf('\n');
          }
        });
        res.on('end', () => resolve());
        res.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
      });
      req.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
      req.end();
    });
  }
}
