// A keyed, windowed job on one JobManager and two TaskManagers (real processes; the keyBy exchange crosses
// processes over TCP) gives exactly the output of the local engine.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CollectionSource,
  CollectSink,
  StreamExecutionEnvironment,
  Time,
  TumblingEventTimeWindows,
  WatermarkStrategy,
} from '../../../runtime/src/index.ts';
import { events } from '../../fixtures/jobs/keyed-window-count.ts';
import { LocalCluster, waitFor } from './local-cluster.ts';
import { jobState, submitJob } from './rest.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/keyed-window-count.ts');
const COUNT = 20_000;
const KEYS = 23;

async function localEngineOutput(): Promise<string[]> {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
  const sink = new CollectSink<unknown>();
  env
    .fromSource(
      new CollectionSource(events(COUNT, KEYS)),
      WatermarkStrategy.forMonotonousTimestamps<{ key: string; ts: number }>().withTimestampAssigner(
        (e) => e.ts,
      ),
      'events',
    )
    .keyBy((e) => e.key)
    .window(TumblingEventTimeWindows.of(Time.seconds(1)))
    .aggregate(
      {
        createAccumulator: () => 0,
        add: (_e, acc: number) => acc + 1,
        getResult: (acc) => acc,
        merge: (a, b) => a + b,
      },
      (key, ctx, counts, out) => out.collect({ key, start: ctx.window.start, count: counts[0]! }),
    )
    .sinkTo(sink);
  await env.execute();
  return sink.values.map((v) => JSON.stringify(v)).sort();
}

function clusterOutput(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .filter((l) => l.length > 0)
    .sort();
}

test('keyed windows across two TaskManagers equal the local engine', async () => {
  const cluster = new LocalCluster();
  try {
    await cluster.startJobManager();
    cluster.startTaskManager('tm-1', 1);
    cluster.startTaskManager('tm-2', 1);
    const out = join(cluster.dir, 'out');
    const id = await submitJob(cluster.jobManagerUrl, {
      jobModule: JOB,
      args: [out, String(COUNT), String(KEYS)],
      parallelism: 2,
    });
    await waitFor(
      async () => (await jobState(cluster.jobManagerUrl, id)) === 'FINISHED',
      60_000,
      () => `job did not finish\n${cluster.logs()}`,
    );
    const expected = await localEngineOutput();
    assert.is(expected.length, (COUNT / 100) * KEYS); // 200 one-second windows x 23 keys
    assert.equal(clusterOutput(out), expected);
  } catch (e) {
    console.error(cluster.logs());
    throw e;
  } finally {
    await cluster.stop();
  }
});

test.run();
