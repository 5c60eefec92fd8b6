import { test } from 'uvu';
import * as assert from 'uvu/assert';

test('node runs TypeScript natively (Node 24 type stripping)', () => {
  const major = Number(process.versions.node.split('.')[0]);
  assert.ok(major >= 24, `expected Node >= 24 from the npm node package, got ${process.versions.node}`);
});

test.run();
