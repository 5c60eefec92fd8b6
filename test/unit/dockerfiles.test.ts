// The runtime and operator Dockerfiles cannot be built here (no Docker engine), so this checks what a build
// would trip over: every path they COPY exists and is not excluded by .dockerignore, every file the
// entrypoint imports (relative imports, followed) is copied into the image, every package it imports is a
// production dependency of the workspace `npm ci --omit=dev --workspace` installs, the user is a numeric
// non-root one (the pods set runAsNonRoot), and the runtime entrypoint is the command the operator gives its
// pods.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RUNTIME_COMMAND } from '../../operator/src/resources/children.ts';

const root = resolve(import.meta.dirname, '../..');
const images = suite('Dockerfiles');

type Instruction = { keyword: string; args: string };

/** Instructions of a Dockerfile: continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const [keyword = '', ...rest] = l.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** A .dockerignore matcher for the pattern forms this repository uses (`**`, `*`, leading `/`). */
function ignoredBy(patterns: string[]): (path: string) => boolean {
  const regexes = patterns.map((p) => {
    const body = p
      .replace(/^\//, '')
      .split('**/')
      .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
      .join('(?:.*/)?');
    return new RegExp(`^${body}(?:/.*)?$`);
  });
  return (path) => regexes.some((r) => r.test(path));
}

const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const ignored = ignoredBy(dockerignore);

type Image = {
  dockerfile: string;
  workspace: 'runtime' | 'operator';
  /** Workspaces whose production dependencies the image's npm ci installs. */
  dependencyWorkspaces: string[];
  entrypoint: string[];
};

const IMAGES: Image[] = [
  {
    dockerfile: 'runtime/Dockerfile',
    workspace: 'runtime',
    dependencyWorkspaces: ['runtime'],
    entrypoint: RUNTIME_COMMAND,
  },
  {
    dockerfile: 'operator/Dockerfile',
    workspace: 'operator',
    // @riffle/runtime is a dependency of the operator, so npm installs the runtime's dependencies as well.
    dependencyWorkspaces: ['operator', 'runtime'],
    entrypoint: ['node', 'operator/src/main.ts'],
  },
];

function copiedSources(ins: Instruction[]): { source: string; dest: string }[] {
  return ins
    .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
    .flatMap((i) => {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      const dest = parts.pop() ?? '';
      return parts.map((source) => ({ source, dest }));
    });
}

/** Files reachable from `entry` through static and literal dynamic relative imports (and @riffle/runtime). */
function importClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    const specifiers = [
      ...text.matchAll(/^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm),
      ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1] as string);
    for (const s of specifiers) {
      if (s.startsWith('.')) visit(relative(root, resolve(root, dirname(file), s)));
      else if (s === '@riffle/runtime/rest') visit('runtime/src/rest/index.ts');
      else if (s === '@riffle/runtime') visit('runtime/src/index.ts');
      else if (!s.startsWith('node:'))
        packages.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}

for (const image of IMAGES) {
  const ins = instructions(readFileSync(join(root, image.dockerfile), 'utf8'));
  const copies = copiedSources(ins);

  images(`${image.dockerfile}: multi-stage on node:24-slim with npm ci --omit=dev for its workspace`, () => {
    const froms = ins.filter((i) => i.keyword === 'FROM');
    assert.ok(froms.length >= 2, 'a dependencies stage and the final stage');
    const arg = ins.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    assert.is(arg?.args, 'NODE_IMAGE=node:24-slim');
    for (const f of froms) assert.match(f.args, /^\$\{NODE_IMAGE\}/);
    const npm = ins.find((i) => i.keyword === 'RUN' && i.args.includes('npm ci'));
    assert.ok(npm, 'npm ci');
    assert.match(npm.args, /--omit=dev/);
    assert.match(npm.args, new RegExp(`--workspace ${image.workspace}\\b`));
    const workdirs = new Set(ins.filter((i) => i.keyword === 'WORKDIR').map((i) => i.args));
    assert.equal([...workdirs], ['/opt/riffle'], 'one working directory in every stage');
  });

  images(`${image.dockerfile}: every COPY source exists and is in the build context`, () => {
    assert.ok(copies.length > 0);
    for (const { source } of copies) {
      assert.ok(existsSync(join(root, source)), `${image.dockerfile}: COPY ${source}: no such path`);
      assert.not.ok(ignored(source), `${image.dockerfile}: COPY ${source} is excluded by .dockerignore`);
    }
    // npm ci needs every workspace's package.json beside the lockfile.
    const sources = copies.map((c) => c.source);
    for (const p of ['package.json', 'package-lock.json', 'runtime/package.json', 'operator/package.json'])
      assert.ok(sources.includes(p), `${image.dockerfile} copies ${p}`);
  });

  images(`${image.dockerfile}: runs as a numeric non-root user with the expected entrypoint`, () => {
    const user = ins.filter((i) => i.keyword === 'USER').at(-1)?.args ?? '';
    assert.match(user, /^[1-9]\d*(:\d+)?$/, 'USER must be a numeric non-zero uid for runAsNonRoot');
    const entry = ins.filter((i) => i.keyword === 'ENTRYPOINT').at(-1)?.args ?? '';
    assert.equal(JSON.parse(entry), image.entrypoint);
  });

  images(
    `${image.dockerfile}: every file the entrypoint imports is copied, every package is installed`,
    () => {
      const inImage = (file: string) =>
        !ignored(file) && copies.some(({ source }) => file === source || file.startsWith(`${source}/`));
      const { files, packages } = importClosure(image.entrypoint[1]!);
      const missing = [...files].filter((f) => !inImage(f));
      assert.equal(missing, [], `${image.dockerfile} lacks files its entrypoint imports`);
      const deps = new Set(
        image.dependencyWorkspaces.flatMap((w) =>
          Object.keys(
            (JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8')) as { dependencies?: object })
              .dependencies ?? {},
          ),
        ),
      );
      const undeclared = [...packages].filter((p) => !deps.has(p));
      assert.equal(undeclared, [], 'imported packages that npm ci --omit=dev would not install');
    },
  );
}

images('the runtime image holds the job modules the example StreamJobs name', () => {
  const copies = copiedSources(instructions(readFileSync(join(root, 'runtime/Dockerfile'), 'utf8')));
  for (const example of ['fraud-detection', 'order-analytics']) {
    const text = readFileSync(join(root, `examples/${example}/streamjob.yaml`), 'utf8');
    const entry = /entryModule:\s*(\S+)/.exec(text)?.[1] ?? '';
    assert.ok(
      copies.some(({ source }) => entry.startsWith(`${source}/`)) && !ignored(entry),
      `${entry} is not in the runtime image`,
    );
  }
});

images('the .dockerignore matcher matches what Docker would exclude (so the checks above can fail)', () => {
  assert.ok(ignored('runtime/src/cli/main.test.ts'));
  assert.ok(ignored('operator/node_modules/x'));
  assert.ok(ignored('test/fixtures/jobs/x.ts'));
  assert.not.ok(ignored('runtime/src/cli/main.ts'));
  assert.not.ok(ignored('examples/fraud-detection/job.ts'));
});

images.run();
