// List-then-watch of one resource collection with a local cache (the process node's equivalent of a
// client-go informer): relists on 410 Gone or a broken stream, reporting objects that vanished meanwhile
// as deletions, so handlers always converge on the server's state.
import { type KubeApi, KubeApiError } from './kube-api.ts';

type Meta = { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };
type List<T> = { metadata?: { resourceVersion?: string }; items: T[] };

export type InformerHandler<T> = (obj: T, deleted: boolean) => void;

export function objectKey(obj: Meta): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

export class Informer<T extends Meta> {
  readonly cache = new Map<string, T>();
  private readonly abort = new AbortController();
  private synced = false;
  private readonly syncWaiters: Array<() => void> = [];

  private readonly api: KubeApi;
  private readonly collection: string;
  private readonly query: string;
  private readonly handler: InformerHandler<T>;
  private readonly log: (msg: string) => void;

  /** collection: e.g. /api/v1/pods; query: e.g. `fieldSelector=spec.nodeName%3Dx` (encoded) or ''. */
  constructor(
    api: KubeApi,
    collection: string,
    query: string,
    handler: InformerHandler<T>,
    log: (msg: string) => void,
  ) {
    this.api = api;
    this.collection = collection;
    this.query = query;
    this.handler = handler;
    this.log = log;
  }

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.abort.abort();
  }

  hasSynced(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((r) => this.syncWaiters.push(r));
  }

  private url(extra: string): string {
    const q = [this.query, extra].filter((s) => s !== '').join('&');
    return q === '' ? this.collection : `${this.collection}?${q}`;
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        const list = await this.api.request<List<T>>('GET', this.url(''));
        const seen = new Set<string>();
        for (const item of list.items) {
          const key = objectKey(item);
          seen.add(key);
          this.cache.set(key, item);
          this.handler(item, false);
        }
        for (const [key, old] of [...this.cache]) {
          if (!seen.has(key)) {
            this.cache.delete(key);
            this.handler(old, true);
          }
        }
        if (!this.synced) {
          this.synced = true;
          for (const w of this.syncWaiters.splice(0)) w();
        }
        let rv = list.metadata?.resourceVersion ?? '';
        // Watch until the stream ends (the server closes watches after a timeout), then resume from rv.
        for (;;) {
          let gone = false;
          await this.api.watch<T>(
            this.url(`watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=300`),
            (event) => {
              if (event.type === 'ERROR') {
                gone = true;
                return;
              }
              rv = event.object.metadata?.resourceVersion ?? rv;
              if (event.type === 'BOOKMARK') return;
              const key = objectKey(event.object);
              if (event.type === 'DELETED') this.cache.delete(key);
              else this.cache.set(key, event.object);
              this.handler(event.object, event.type === 'DELETED');
            },
            signal,
          );
          if (gone || signal.aborted) break;
        }
      } catch (error) {
        if (signal.aborted) return;
        const gone = error instanceof KubeApiError && error.status === 410;
        if (!gone) this.log(`watch ${this.collection} failed, relisting in 1 s: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, gone ? 0 : 1000));
      }
    }
  }
}
