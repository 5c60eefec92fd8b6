// Kafka -> keyed running count -> Kafka, exactly once, on a cluster of processes against the real broker:
// a TaskManager is killed with SIGKILL mid-stream, then the job is stopped with a savepoint and restored at
// another parallelism (2 -> 3), and input keeps arriving throughout. A read_committed reader of the output
// topic then sees every (key, count) exactly once: nothing lost, nothing duplicated.
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalCluster, waitFor } from '../cluster/local-cluster.ts';
import { getJson, jobState } from '../cluster/rest.ts';
import { loadTestEnv, uniqueName } from '../test-env.ts';
import { createTopics, deleteTopics, produce, readToEnd } from './kafka-test-kit.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/kafka-exactly-once-count.ts');
const KEYS = 20;
const BATCH = 2000;

type Checkpoints = { counts: { completed: number }; latest: { restored: { id: number } | null } };
type SavepointStatus = { status: { id: string }; operation?: { location?: string } };

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Produces events at about `perSecond` until stopped, so records are in flight whenever something fails. */
function continuousInput(bootstrap: string[], topic: string, perSecond: number) {
  let produced = 0;
  let stopped = false;
  const chunk = Math.max(1, Math.round(perSecond / 20));
  const done = (async () => {
    while (!stopped) {
      await produce(bootstrap, topic, events(produced, chunk));
      produced += chunk;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    get produced() {
      return produced;
    },
    async stop(): Promise<number> {
      stopped = true;
      await done;
      return produced;
    },
  };
}

function events(from: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ key: (from + i) % KEYS }));
}

function expected(total: number): string[] {
  const counts = new Map<number, number>();
  const out: string[] = [];
  for (let i = 0; i < total; i++) {
    const k = i % KEYS;
    const c = (counts.get(k) ?? 0) + 1;
    counts.set(k, c);
    out.push(`${k}:${c}`);
  }
  return out.sort();
}

test('Kafka to Kafka exactly once across a TaskManager SIGKILL and a savepoint restore at another parallelism', async () => {
  const env = loadTestEnv();
  const bootstrap = env.kafkaBootstrapServers;
  const input = uniqueName('riffle-eos-in');
  const output = uniqueName('riffle-eos-out');
  await createTopics(bootstrap, { [input]: 4, [output]: 3 });
  const cluster = new LocalCluster();
  let feed: ReturnType<typeof continuousInput> | undefined;
  try {
    await cluster.startJobManager({ heartbeatTimeoutMs: 2000 });
    cluster.startTaskManager('tm-1', 1);
    const victim = cluster.startTaskManager('tm-2', 1); // one slot each: the victim surely runs a share
    const base = cluster.jobManagerUrl;
    const args = [
      bootstrap.join(','),
      input,
      output,
      join(cluster.dir, 'checkpoints'),
      uniqueName('riffle-eos-tx'),
    ];
    const committed = async () => (await readToEnd(bootstrap, output)).length;

    const input$ = continuousInput(bootstrap, input, 2000);
    feed = input$;
    const first = (await post<{ jobid: string }>(`${base}/jobs`, { jobModule: JOB, args, parallelism: 2 }))
      .jobid;
    const checkpoints = () => getJson<Checkpoints>(`${base}/jobs/${first}/checkpoints`);
    await waitFor(
      async () => (await checkpoints()).counts.completed >= 3 && (await committed()) > 0,
      60_000,
      () => `no checkpoints or output\n${cluster.logs()}`,
    );
    await cluster.kill(victim, 'SIGKILL');
    await waitFor(
      async () => (await jobState(base, first)) !== 'RUNNING',
      15_000,
      () => `loss not detected\n${cluster.logs()}`,
    );
    cluster.startTaskManager('tm-3', 2);
    await waitFor(
      async () =>
        (await checkpoints()).latest.restored !== null && (await jobState(base, first)) === 'RUNNING',
      60_000,
      () => `no restore after the kill\n${cluster.logs()}`,
    );
    const afterKill = input$.produced;
    await waitFor(
      async () => (await committed()) >= afterKill,
      60_000,
      () => `output stalled after the kill\n${cluster.logs()}`,
    );

    const stop = async (jobid: string): Promise<string> => {
      const { 'request-id': rid } = await post<{ 'request-id': string }>(`${base}/jobs/${jobid}/stop`, {
        targetDirectory: join(cluster.dir, 'savepoints'),
      });
      let status: SavepointStatus = { status: { id: 'IN_PROGRESS' } };
      await waitFor(
        async () => {
          status = await getJson<SavepointStatus>(`${base}/jobs/${jobid}/savepoints/${rid}`);
          return status.status.id === 'COMPLETED';
        },
        30_000,
        () => cluster.logs(),
      );
      assert.ok(status.operation?.location, `savepoint failed: ${JSON.stringify(status.operation)}`);
      return status.operation!.location!;
    };
    const savepoint = await stop(first);
    const second = (
      await post<{ jobid: string }>(`${base}/jobs`, {
        jobModule: JOB,
        args,
        parallelism: 3,
        savepointPath: savepoint,
      })
    ).jobid;
    const afterRescale = input$.produced + BATCH;
    await waitFor(
      async () => input$.produced >= afterRescale,
      60_000,
      () => 'input stalled',
    );
    const total = await input$.stop();
    await waitFor(
      async () => (await committed()) >= total,
      60_000,
      () => `rescaled job stalled\n${cluster.logs()}`,
    );
    await stop(second); // commits the last transactions, so the whole output is readable

    const values = (await readToEnd(bootstrap, output)).map((r) => r.value).sort();
    assert.is(values.length, total, 'nothing lost, nothing duplicated');
    assert.equal(values, expected(total));
  } catch (e) {
    console.error(cluster.logs());
    throw e;
  } finally {
    await feed?.stop();
    await cluster.stop();
    await deleteTopics(bootstrap, [input, output]);
  }
});

test.run();
