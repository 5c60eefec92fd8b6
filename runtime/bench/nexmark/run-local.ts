// Runs one Nexmark query in the local engine in this process and prints one JSON line with wall time, CPU
// time and peak memory; the sink writes its counts and latencies beside `prefix`.
//   node runtime/bench/nexmark/run-local.ts <query> <prefix> <events> <parallelism> <rate> <base time>
import { StreamExecutionEnvironment } from '../../src/index.ts';
import nexmarkJob from './nexmark-job.ts';

const [
  query = 'q0',
  prefix = '/tmp/nexmark',
  events = '1000000',
  parallelism = '1',
  rate = '0',
  baseTime = '0',
] = process.argv.slice(2);
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);
const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: Number(parallelism) });
// A paced run's event time starts now, after this process has loaded its modules.
const base = Number(rate) > 0 && baseTime === 'now' ? String(Date.now() + 100) : baseTime;
nexmarkJob(env, [query, prefix, events, rate, base]);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await env.execute(`nexmark-${query}`);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: Math.round(peakRss / 1048576) })}\n`,
);
