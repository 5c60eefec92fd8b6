// The Nexmark harness's pure parts: argument parsing and the markdown table with a comparison column.
import assert from 'node:assert/strict';
import { test } from 'uvu';
import {
  markdownTable,
  type NexmarkRow,
  parseNexmarkArgs,
} from '../../../runtime/bench/nexmark/nexmark-bench.ts';

test('arguments: defaults, every flag, and errors that name the flag', () => {
  const d = parseNexmarkArgs([]);
  assert.equal(d.queries.length, 17);
  assert.deepEqual([d.events, d.parallelism, d.taskmanagers, d.rate], [2_000_000, 2, 2, 0]);
  assert.deepEqual(d.engines, ['local', 'cluster']);
  const o = parseNexmarkArgs([
    '--queries',
    'q0,q5',
    '--events',
    '10',
    '--taskmanagers',
    '3',
    '--engine',
    'cluster',
    '--rate',
    '5',
    '--compare',
    'old.json',
  ]);
  assert.deepEqual(
    [o.queries, o.events, o.parallelism, o.taskmanagers, o.engines, o.rate, o.compare],
    [['q0', 'q5'], 10, 3, 3, ['cluster'], 5, 'old.json'],
  );
  assert.equal(parseNexmarkArgs(['--parallelism', '4']).parallelism, 4);
  const cases: [string[], RegExp][] = [
    [['--queries', 'q6'], /unknown queries q6/],
    [['--events', '-1'], /--events must be a positive integer/],
    [['--engine', 'gpu'], /--engine is local, cluster or both/],
    [['--events'], /--events needs a value/],
    [['--fast', '1'], /unknown option --fast/],
  ];
  for (const [args, error] of cases) assert.throws(() => parseNexmarkArgs(args), error);
});

const row = (query: string, perCore: number): NexmarkRow => ({
  query,
  engine: 'local',
  parallelism: 2,
  events: 1000,
  outputs: 10,
  seconds: 1,
  eventsPerSecond: 1000,
  cpuSeconds: 0.5,
  warmupCpuSeconds: 0,
  eventsPerCoreSecond: perCore,
  p50Ms: null,
  p99Ms: null,
  peakRssMiB: 100,
  target: 1500,
  paced: false,
});

test('table: target met or missed, and the change against an earlier run', () => {
  const t = markdownTable([row('q0', 2000), row('q1', 1000)], [row('q0', 1000)]).split('\n');
  assert.equal(t.length, 4);
  assert.match(t[0]!, /vs\. before/);
  assert.match(t[2]!, /\| q0 \| local .*1,500 ✓ .* 100% \|$/);
  assert.match(t[3]!, /\| q1 \| local .*1,500 ✗ .*\| \|$/);
  assert.doesNotMatch(markdownTable([row('q0', 2000)]), /vs\. before/);
  assert.doesNotMatch(markdownTable([{ ...row('q0', 10), paced: true }]), /✗/);
});

test.run();
