// Leader election on a coordination.k8s.io Lease, with client-go's rules and defaults (lease 15 s, renew
// deadline 10 s, retry 2 s). Writes carry the resourceVersion they read, so of two candidates racing for the
// same Lease the API server lets exactly one win (409 for the other). A lease counts as expired when its
// record has not changed for leaseDuration on *our* clock (no clock comparison between machines). A leader
// that cannot renew within the renew deadline stops leading (the process exits: never two acting at once).
import { ApiException, type V1Lease, V1MicroTime } from '@kubernetes/client-node';

export type LeaseApi = {
  read(namespace: string, name: string): Promise<V1Lease | undefined>;
  create(namespace: string, lease: V1Lease): Promise<V1Lease>;
  replace(namespace: string, name: string, lease: V1Lease): Promise<V1Lease>;
};

export type LeaderElectionOptions = {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  readonly now?: () => number;
  readonly onStartedLeading: () => void;
  readonly onStoppedLeading: () => void;
  readonly onError?: (e: unknown) => void;
};

export class LeaderElector {
  readonly #api: LeaseApi;
  readonly #o: Required<Omit<LeaderElectionOptions, 'onError'>> & Pick<LeaderElectionOptions, 'onError'>;
  #leading = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #observed: { record: string; at: number } | undefined;
  #lastRenew = 0;

  constructor(api: LeaseApi, options: LeaderElectionOptions) {
    this.#api = api;
    this.#o = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      now: Date.now,
      ...options,
    };
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  start(): void {
    const tick = async () => {
      if (this.#stopped) return;
      await this.tryAcquireOrRenew().catch((e: unknown) => this.#o.onError?.(e));
      if (this.#leading && this.#o.now() - this.#lastRenew > this.#o.renewDeadlineMs) this.#lose();
      if (!this.#stopped) this.#timer = setTimeout(tick, this.#o.retryPeriodMs);
    };
    void tick();
  }

  /** One attempt; true if we hold the lease afterwards. Exposed for tests. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const o = this.#o;
    const now = o.now();
    const desired = (previous: V1Lease | undefined): V1Lease => {
      const spec = previous?.spec;
      const ours = spec?.holderIdentity === o.identity;
      return {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: o.name,
          namespace: o.namespace,
          ...(previous?.metadata?.resourceVersion
            ? { resourceVersion: previous.metadata.resourceVersion }
            : {}),
        },
        spec: {
          holderIdentity: o.identity,
          leaseDurationSeconds: Math.ceil(o.leaseDurationMs / 1000),
          acquireTime: ours && spec?.acquireTime ? spec.acquireTime : new V1MicroTime(now),
          renewTime: new V1MicroTime(now),
          leaseTransitions: (spec?.leaseTransitions ?? 0) + (ours || previous === undefined ? 0 : 1),
        },
      };
    };
    const current = await this.#api.read(o.namespace, o.name);
    if (current === undefined) {
      return this.#write(() => this.#api.create(o.namespace, desired(undefined)));
    }
    const spec = current.spec ?? {};
    const record = JSON.stringify([spec.holderIdentity, String(spec.renewTime), spec.leaseDurationSeconds]);
    if (this.#observed?.record !== record) this.#observed = { record, at: now };
    const holder = spec.holderIdentity ?? '';
    const durationMs = (spec.leaseDurationSeconds ?? 15) * 1000;
    const expired = holder === '' || now - this.#observed.at > durationMs;
    if (holder !== o.identity && !expired) {
      if (this.#leading) this.#lose();
      return false;
    }
    return this.#write(() => this.#api.replace(o.namespace, o.name, desired(current)));
  }

  async #write(call: () => Promise<V1Lease>): Promise<boolean> {
    try {
      await call();
    } catch (e) {
      if (e instanceof ApiException && (e.code === 409 || e.code === 422)) {
        if (this.#leading) this.#lose();
        return false; // someone else wrote first
      }
      throw e;
    }
    this.#lastRenew = this.#o.now();
    if (!this.#leading) {
      this.#leading = true;
      this.#o.onStartedLeading();
    }
    return true;
  }

  #lose(): void {
    this.#leading = false;
    this.#o.onStoppedLeading();
  }

  /** Stops campaigning; a leader hands the lease back so a standby takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    if (!this.#leading) return;
    this.#leading = false;
    const current = await this.#api.read(this.#o.namespace, this.#o.name).catch(() => undefined);
    if (current?.spec?.holderIdentity !== this.#o.identity) return;
    await this.#api
      .replace(this.#o.namespace, this.#o.name, {
        ...current,
        spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1 },
      })
      .catch(() => undefined);
  }
}
