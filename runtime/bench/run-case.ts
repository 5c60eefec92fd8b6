// Runs one benchmark case in this process and prints one JSON line: throughput, CPU time and peak memory.
import { CASES } from './local-cases.ts';

const [name, countArg] = process.argv.slice(2);
const run = CASES[name ?? ''];
if (run === undefined) {
  process.stderr.write(`unknown case "${name}"; cases: ${Object.keys(CASES).join(', ')}\n`);
  process.exit(2);
}
const count = Number(countArg ?? 5_000_000);
let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await run(count);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
process.stdout.write(
  `${JSON.stringify({
    case: name,
    records: result.records,
    outputs: result.outputs,
    seconds,
    eventsPerSecond: Math.round(result.records / seconds),
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: Math.round(peakRss / 1048576),
  })}\n`,
);
