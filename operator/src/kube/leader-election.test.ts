import { ApiException, type V1Lease } from '@kubernetes/client-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LeaderElector, type LeaseApi } from './leader-election.ts';

/** An API server's Lease storage: writes must carry the current resourceVersion (409 otherwise). */
class FakeLeases implements LeaseApi {
  lease: V1Lease | undefined;
  #rv = 0;
  async read(): Promise<V1Lease | undefined> {
    return structuredClone(this.lease);
  }
  async create(_ns: string, lease: V1Lease): Promise<V1Lease> {
    if (this.lease !== undefined) throw new ApiException(409, 'exists', {}, {});
    return this.#store(lease);
  }
  async replace(_ns: string, _name: string, lease: V1Lease): Promise<V1Lease> {
    if (lease.metadata?.resourceVersion !== this.lease?.metadata?.resourceVersion)
      throw new ApiException(409, 'conflict', {}, {});
    return this.#store(lease);
  }
  #store(lease: V1Lease): V1Lease {
    this.lease = {
      ...structuredClone(lease),
      metadata: { ...lease.metadata, resourceVersion: String(++this.#rv) },
    };
    return structuredClone(this.lease);
  }
}

function elector(api: LeaseApi, identity: string, clock: { now: number }, log: string[]): LeaderElector {
  return new LeaderElector(api, {
    namespace: 'ops',
    name: 'riffle-operator',
    identity,
    now: () => clock.now,
    onStartedLeading: () => log.push(`${identity} leads`),
    onStoppedLeading: () => log.push(`${identity} stops`),
  });
}

const le = suite('leader election');

le('two candidates: one leads; the other waits until the lease expires on its own clock', async () => {
  const api = new FakeLeases();
  const clock = { now: 1_000_000 };
  const log: string[] = [];
  const a = elector(api, 'a', clock, log);
  const b = elector(api, 'b', clock, log);
  assert.is(await a.tryAcquireOrRenew(), true);
  assert.is(await b.tryAcquireOrRenew(), false);
  clock.now += 10_000;
  assert.is(await a.tryAcquireOrRenew(), true, 'renewal');
  assert.is(await b.tryAcquireOrRenew(), false, 'b saw the renewal: not expired');
  clock.now += 16_000; // a stopped renewing
  assert.is(await b.tryAcquireOrRenew(), true);
  assert.is(api.lease!.spec!.leaseTransitions, 1);
  assert.is(await a.tryAcquireOrRenew(), false);
  assert.equal(log, ['a leads', 'b leads', 'a stops']);
});

le('racing writes with the same read: exactly one wins', async () => {
  const api = new FakeLeases();
  const clock = { now: 0 };
  const log: string[] = [];
  const results = await Promise.all(
    ['a', 'b', 'c'].map((id) => elector(api, id, clock, log).tryAcquireOrRenew()),
  );
  assert.is(results.filter(Boolean).length, 1);
  assert.is(log.length, 1);
});

le('a leader that stops hands the lease over at once', async () => {
  const api = new FakeLeases();
  const clock = { now: 0 };
  const log: string[] = [];
  const a = elector(api, 'a', clock, log);
  const b = elector(api, 'b', clock, log);
  await a.tryAcquireOrRenew();
  await b.tryAcquireOrRenew();
  await a.stop();
  assert.is(await b.tryAcquireOrRenew(), true);
});

le.run();
