import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as rest from './index.ts';

test('the REST module imports only zod, node built-ins and its own files (the operator imports it)', () => {
  const dir = new URL('.', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    for (const [, from] of source.matchAll(/from '([^']+)'/g)) {
      const allowed = from === 'zod' || from!.startsWith('node:') || /^\.\/[a-z-]+\.ts$/.test(from!);
      assert.ok(allowed, `${file} imports ${from}`);
    }
  }
});

test('index exports the schemas, the client and the handler', () => {
  for (const name of ['RestClient', 'RestError', 'createRestHandler', 'JobDetailsInfo', 'JobSubmitRequest'])
    assert.ok(name in rest, name);
});

test.run();
