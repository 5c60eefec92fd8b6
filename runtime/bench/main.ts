// `npm run bench [-- --events N] [case ...]`: runs each benchmark case in its own process (so peak memory
// is per case) and prints a table. Results are measurements, not assertions.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CASES } from './local-cases.ts';

const argv = process.argv.slice(2);
let events = 5_000_000;
const wanted: string[] = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--events') events = Number(argv[++i]);
  else wanted.push(argv[i]!);
}
const names = wanted.length > 0 ? wanted : Object.keys(CASES);
const rows: Record<string, unknown>[] = [];
for (const name of names) {
  const child = spawnSync(
    process.execPath,
    [resolve(import.meta.dirname, 'run-case.ts'), name, String(events)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (child.status !== 0) {
    process.stderr.write(`case ${name} failed (exit ${child.status})\n`);
    process.exitCode = 1;
    continue;
  }
  rows.push(JSON.parse(child.stdout.trim().split('\n').pop()!));
}
console.log(`\nnode ${process.version}, ${events.toLocaleString('en-US')} events per case\n`);
console.log('| case | events/s | CPU s | peak RSS MiB | outputs |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.case} | ${Number(r.eventsPerSecond).toLocaleString('en-US')} | ${Number(r.cpuSeconds).toFixed(2)} | ${r.peakRssMiB} | ${Number(r.outputs).toLocaleString('en-US')} |`,
  );
}
