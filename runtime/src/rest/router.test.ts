import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RestError } from './rest-error.ts';
import { Router } from './router.ts';

const router = new Router<string>()
  .add('GET', '/jobs/overview', 'overview')
  .add('GET', '/jobs/:jobid', 'job')
  .add('PATCH', '/jobs/:jobid', 'cancel')
  .add('GET', '/jobs/:jobid/savepoints/:triggerid', 'status');

function failure(method: string, path: string): RestError {
  try {
    router.match(method, path);
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error(`${method} ${path} matched`);
}

test('matches literal paths before params, with or without /v1 and a trailing slash', () => {
  assert.is(router.match('GET', '/jobs/overview').value, 'overview');
  assert.is(router.match('GET', '/v1/jobs/overview/').value, 'overview');
  const m = router.match('GET', '/v1/jobs/abc/savepoints/def');
  assert.is(m.value, 'status');
  assert.equal(m.params, { jobid: 'abc', triggerid: 'def' });
});

test('decodes params', () => {
  assert.equal(router.match('GET', '/jobs/a%20b').params, { jobid: 'a b' });
});

test('unknown paths are 404, known paths with another method 405 naming the methods', () => {
  const notFound = failure('GET', '/nope');
  assert.is(notFound.status, 404);
  assert.match(notFound.message, /no endpoint GET \/nope/);
  const wrongMethod = failure('DELETE', '/jobs/abc');
  assert.is(wrongMethod.status, 405);
  assert.match(wrongMethod.message, /use GET or PATCH \/jobs\/abc/);
});

test('bad percent-encoding is a 400', () => {
  assert.is(failure('GET', '/jobs/%E0%A4%A').status, 400);
});

test.run();
