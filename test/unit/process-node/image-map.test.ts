// The process node's image map: which local command a container image runs, by Kubernetes' command/args
// rules, with the repository's images.json.
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  expandVars,
  globMatches,
  loadImageMap,
  parseImageMap,
  resolveCommand,
} from '../../../hack/process-node/image-map.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const p = { repo: '/repo', node: '/bin/node24' };
const map = loadImageMap(join(repoRoot, 'hack/process-node/images.json'), p);

test('globs match whole image references', () => {
  const table: Array<[string, string, boolean]> = [
    ['riffle/runtime:*', 'riffle/runtime:0.1.0', true],
    ['riffle/runtime:*', 'riffle/runtime', false],
    ['*/riffle-runtime:*', 'ghcr.io/riffle-dev/riffle-runtime:0.1.0', true],
    ['riffle/runtime:*', 'xriffle/runtime:1', false],
    ['a.b', 'axb', false],
  ];
  for (const [glob, image, want] of table) assert.is(globMatches(glob, image), want, `${glob} ~ ${image}`);
});

test('the runtime and operator images of the repo, the chart and the examples map to their entry points', () => {
  const table: Array<[string, string]> = [
    ['riffle/runtime:dev', 'runtime/src/cli/main.ts'],
    ['riffle-runtime:0.1.0', 'runtime/src/cli/main.ts'],
    ['ghcr.io/riffle-dev/riffle-runtime:0.1.0', 'runtime/src/cli/main.ts'],
    ['ghcr.io/riffle-dev/riffle-operator:0.1.0', 'operator/src/main.ts'],
    ['riffle/operator@sha256:abc', 'operator/src/main.ts'],
  ];
  for (const [image, script] of table) {
    const r = resolveCommand(map, { name: 'c', image }, {});
    assert.equal(r.argv, ['/bin/node24', script], image);
    assert.is(r.workingDir, '/repo');
  }
});

test('command replaces the entrypoint and drops cmd; args replace cmd; $(VAR) expands; node is Node 24', () => {
  const m = parseImageMap(
    JSON.stringify({
      commands: { node: '<node>' },
      images: [{ images: ['x:*'], entrypoint: ['node', 'a.ts'], cmd: ['serve'] }],
    }),
    'test',
    p,
  );
  const env = { PORT: '8080' };
  assert.equal(resolveCommand(m, { name: 'c', image: 'x:1' }, env).argv, ['/bin/node24', 'a.ts', 'serve']);
  assert.equal(resolveCommand(m, { name: 'c', image: 'x:1', args: ['--port', '$(PORT)'] }, env).argv, [
    '/bin/node24',
    'a.ts',
    '--port',
    '8080',
  ]);
  assert.equal(resolveCommand(m, { name: 'c', image: 'x:1', command: ['node', 'b.ts'] }, env).argv, [
    '/bin/node24',
    'b.ts',
  ]);
  assert.equal(
    resolveCommand(
      m,
      { name: 'c', image: 'x:1', command: ['sh'], args: ['-c', 'echo $$(PORT) $(NOPE)'] },
      env,
    ).argv,
    ['sh', '-c', 'echo $(PORT) $(NOPE)'],
  );
});

test('an unmapped image is an error naming the image and the file to edit', () => {
  assert.throws(
    () => resolveCommand(map, { name: 'web', image: 'nginx:1.27' }, {}),
    /container web: image "nginx:1.27" has no local command.*images\.json/,
  );
  assert.throws(
    () => parseImageMap('{"images":[{"images":["a"]}]}', 'f.json', p),
    /f\.json: images\[0\] \(a\) needs "entrypoint" or "cmd"/,
  );
  assert.throws(() => parseImageMap('{', 'f.json', p), /f\.json: not valid JSON/);
});

test('expandVars follows Kubernetes: defined expand, undefined stay, $$ escapes', () => {
  const env: Record<string, string> = { A: '1', B: 'two' };
  assert.is(
    expandVars('$(A)-$(B)-$(C)-$$(A)-$', (n) => env[n]),
    '1-two-$(C)-$(A)-$',
  );
});

test.run();
