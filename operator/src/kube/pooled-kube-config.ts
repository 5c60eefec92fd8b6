// @kubernetes/client-node 2.0.1 builds a new undici Agent for every API request
// (KubeConfig.applySecurityAuthentication → createDispatcher), so every call pays a TLS handshake and leaves a
// connection pool behind for the garbage collector. With 500 StreamJobs that meant ~100 ms per request and
// RSS growing past 500 MB. This KubeConfig hands every request of the same cluster and user one shared
// Agent (keep-alive connections reused); the per-request Agent it replaces is closed unused.
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

export class PooledKubeConfig extends KubeConfig {
  readonly #dispatchers = new Map<string, Dispatcher>();

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (fresh === undefined) return;
    const key = JSON.stringify([this.getCurrentCluster()?.name, this.getCurrentUser()?.name]);
    const shared = this.#dispatchers.get(key);
    if (shared === undefined) {
      this.#dispatchers.set(key, fresh);
      return;
    }
    context.setDispatcher(shared);
    void fresh.close().catch(() => undefined);
  }
}
