// A slow sink backpressures an unthrottled source across TaskManager processes: every process's memory
// stays bounded while the job runs, instead of buffering the source's output.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalCluster, waitFor } from './local-cluster.ts';
import { jobState, submitJob } from './rest.ts';

const JOB = resolve(import.meta.dirname, '../../fixtures/jobs/slow-sink-job.ts');

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function written(progress: string): number {
  let n = 0;
  for (const s of [0, 1])
    if (existsSync(`${progress}.${s}`)) n += Number(readFileSync(`${progress}.${s}`, 'utf8'));
  return n;
}

test('a slow sink keeps every process bounded in memory (backpressure reaches the source)', async () => {
  const cluster = new LocalCluster();
  try {
    const jm = await cluster.startJobManager();
    const tms = [cluster.startTaskManager('tm-1', 1), cluster.startTaskManager('tm-2', 1)];
    const progress = join(cluster.dir, 'progress');
    const id = await submitJob(cluster.jobManagerUrl, { jobModule: JOB, args: [progress], parallelism: 2 });
    await waitFor(
      async () => written(progress) >= 200,
      30_000,
      () => `sink made no progress\n${cluster.logs()}`,
    );
    const samples: number[][] = [];
    const startWritten = written(progress);
    const t0 = Date.now();
    while (Date.now() - t0 < 6000) {
      samples.push([jm, ...tms].map((p) => rssMiB(p.child.pid!)));
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.is(await jobState(cluster.jobManagerUrl, id), 'RUNNING');
    const sinkRate = ((written(progress) - startWritten) / (Date.now() - t0)) * 1000;
    const peak = Math.max(...samples.flat());
    const growth = Math.max(...[1, 2].map((p) => samples.at(-1)![p]! - samples[0]![p]!));
    console.log(
      `sink ${sinkRate.toFixed(0)} records/s; peak RSS ${peak.toFixed(0)} MiB; TaskManager RSS growth over 6 s ${growth.toFixed(1)} MiB`,
    );
    // The source could make millions of records per second; the sink takes about 1,000 per subtask per second.
    assert.ok(sinkRate < 5000, `sink rate ${sinkRate}`);
    assert.ok(peak < 400, `peak RSS ${peak} MiB`);
    assert.ok(growth < 40, `TaskManager memory grew by ${growth} MiB in 6 s`);

    // The TaskManagers' Prometheus metrics show the exchange: bytes crossed processes. (Here the slow sink
    // stalls its slot's thread, so the source in that slot waits without finding its outputs full.)
    const { taskmanagers } = (await (await fetch(`${cluster.jobManagerUrl}/taskmanagers`)).json()) as {
      taskmanagers: { path: string }[];
    };
    const sum = (text: string, name: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`))
        .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    let bytesIn = 0;
    let bytesOut = 0;
    for (const tm of taskmanagers) {
      const text = await (await fetch(`${tm.path}/metrics`)).text();
      bytesIn += sum(text, 'riffle_task_bytes_in_total');
      bytesOut += sum(text, 'riffle_task_bytes_out_total');
      assert.match(text, /riffle_task_backpressured_time_ms_total\{/);
    }
    assert.ok(bytesOut > 0 && bytesIn > 0, `network bytes counted (in ${bytesIn}, out ${bytesOut})`);
  } catch (e) {
    console.error(cluster.logs());
    throw e;
  } finally {
    await cluster.stop();
  }
});

test.run();
