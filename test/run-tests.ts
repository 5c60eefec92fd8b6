// Runs the uvu suites and prints one closing line `N passed, N failed`.
//   --unit         unit tests beside the code (runtime/, operator/, examples/) and in test/unit
//   --integration  test/integration against the real components from hack/test-env.sh
//   --all          both; brings the test environment up first (or reuses it)
//   <text>         only the test files whose path contains <text> (e.g. `--integration chaos`)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

type Totals = { passed: number; failed: number; skipped: number };

const root = resolve(import.meta.dirname, '..');
const args = new Set(process.argv.slice(2).filter((a) => a.startsWith('--')));
const only = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const onlyPattern = only.length === 0 ? '' : `(${only.join('|')}).*`;
const wantUnit = args.has('--unit') || args.has('--all') || args.size === 0;
const wantIntegration = args.has('--integration') || args.has('--all');

function runUvu(dir: string, pattern: string, ignore: string[]): Totals {
  const uvu = resolve(root, 'node_modules/uvu/bin.js');
  const argv = [uvu, dir, pattern, '--color=false', ...ignore.flatMap((i) => ['-i', i])];
  const result = spawnSync(process.execPath, argv, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const out = result.stdout ?? '';
  process.stdout.write(out);
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  let failed = total - passed - skipped;
  if (result.status !== 0 && failed === 0) failed = 1; // a suite that crashed before reporting
  return { passed, failed, skipped };
}

function environmentUp(): boolean {
  const script = resolve(root, 'hack/test-env.sh');
  if (!existsSync(script)) return true;
  const up = spawnSync('bash', [script, 'up'], { cwd: root, stdio: 'inherit' });
  return up.status === 0;
}

const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
function add(t: Totals): void {
  totals.passed += t.passed;
  totals.failed += t.failed;
  totals.skipped += t.skipped;
}

if (wantUnit) {
  add(
    runUvu('.', `(runtime|operator|examples|test/unit)/.*${onlyPattern}\\.test\\.ts$`, [
      'node_modules',
      'test/integration',
      'test/e2e',
    ]),
  );
}
if (wantIntegration) {
  if (environmentUp()) {
    add(runUvu('test/integration', `${onlyPattern}\\.test\\.ts$`, ['node_modules']));
  } else {
    console.error('test environment failed to come up: see the messages above (hack/test-env.sh up)');
    totals.failed += 1;
  }
}
console.log(
  `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`,
);
process.exit(totals.failed > 0 ? 1 : 0);
