import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RestClient } from './rest-client.ts';
import { RestError } from './rest-error.ts';
import { createRestHandler, type RequestListener } from './rest-handler.ts';
import { type RestServer, startRestServer } from './rest-server.ts';
import { JOB_DETAILS, JOB_ID, OTHER_JOB_ID, TestingClusterView, TRIGGER_ID } from './testing-cluster-view.ts';

let view: TestingClusterView;
let server: RestServer;
let client: RestClient;

test.before.each(async () => {
  view = new TestingClusterView();
  server = await startRestServer(createRestHandler(view, { validateResponses: true }));
  client = new RestClient(`${server.url}/`, { timeoutMs: 2000 });
});
test.after.each(() => server.close());

async function rejection(p: Promise<unknown>): Promise<RestError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RestError) return e;
    throw e;
  }
  throw new Error('expected a RestError');
}

test('one typed method per endpoint', async () => {
  assert.is((await client.overview())['riffle-version'], '0.1.0');
  assert.is((await client.config())['refresh-interval'], 3000);
  assert.equal(await client.jobs(), { jobs: [{ id: JOB_ID, status: 'RUNNING' }] });
  assert.is((await client.jobsOverview()).jobs[0]!.jid, JOB_ID);
  assert.equal(await client.job(JOB_ID), JOB_DETAILS);
  assert.is((await client.exceptions(JOB_ID, { maxExceptions: 2 })).exceptionHistory.entries.length, 2);
  assert.is((await client.exceptions(JOB_ID)).exceptionHistory.entries.length, 3);
  assert.is((await client.checkpoints(JOB_ID)).latest.completed, null);
  assert.is((await client.taskManagers()).taskmanagers[0]!.freeSlots, 1);
  await client.cancel(JOB_ID);
  assert.equal(view.cancelled, [JOB_ID]);
  assert.equal(await client.submit({ jobModule: 'job.ts', args: ['--n', '3'], parallelism: 2 }), {
    jobid: OTHER_JOB_ID,
  });
  assert.equal(view.submitted[0]!.args, ['--n', '3']);
  assert.equal(await client.triggerSavepoint(JOB_ID, { 'cancel-job': true }), { 'request-id': TRIGGER_ID });
  assert.equal(await client.triggerSavepoint(JOB_ID), { 'request-id': TRIGGER_ID });
  assert.equal(view.savepoints[0]!['cancel-job'], true);
  assert.equal((await client.savepointStatus(JOB_ID, TRIGGER_ID)).status, { id: 'COMPLETED' });
  assert.equal(await client.stop(JOB_ID, { targetDirectory: 's3://b', drain: true }), {
    'request-id': TRIGGER_ID,
  });
});

test("server errors become RestErrors with the status and the server's messages", async () => {
  const notFound = await rejection(client.job(OTHER_JOB_ID));
  assert.is(notFound.status, 404);
  assert.is(notFound.kind, 'http');
  assert.not.ok(notFound.retriable);
  assert.equal(notFound.errors, [`job ${OTHER_JOB_ID} not found`]);
  assert.match(notFound.message, `GET ${server.url}/jobs/${OTHER_JOB_ID} failed with 404: job`);
  const bad = await rejection(client.submit({ jobModule: '' }));
  assert.is(bad.status, 400);
  assert.match(bad.errors[0]!, /jobModule must not be empty/);
  view.failWith = new RestError(503, ['leader election in progress']);
  const unavailable = await rejection(client.overview());
  assert.ok(unavailable.retriable);
});

async function serve(listener: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const s = createServer(listener);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        s.closeAllConnections();
        s.close(() => r());
      }),
  };
}

test('an answer outside the contract is an invalid-response error naming the field', async () => {
  const other = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jobs: [{ id: JOB_ID, status: 'DANCING' }] }));
  });
  try {
    const e = await rejection(new RestClient(other.url).jobs());
    assert.is(e.kind, 'invalid-response');
    assert.match(e.errors[0]!, /response "jobs.0.status"/);
  } finally {
    await other.close();
  }
});

test('a non-JSON error page keeps its text', async () => {
  const proxy = await serve((_req, res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html>Bad Gateway</html>');
  });
  try {
    const e = await rejection(new RestClient(proxy.url).overview());
    assert.is(e.status, 502);
    assert.ok(e.retriable);
    assert.equal(e.errors, ['<html>Bad Gateway</html>']);
  } finally {
    await proxy.close();
  }
});

test('no answer in time is a retriable timeout; nobody listening a retriable network error', async () => {
  const slow = await serve(() => {});
  try {
    const e = await rejection(new RestClient(slow.url, { timeoutMs: 50 }).overview());
    assert.is(e.kind, 'timeout');
    assert.is(e.status, 0);
    assert.ok(e.retriable);
  } finally {
    await slow.close();
  }
  const url = server.url;
  await server.close();
  const e = await rejection(new RestClient(url).overview());
  assert.is(e.kind, 'network');
  assert.ok(e.retriable);
  assert.match(e.message, /ECONNREFUSED/);
  server = await startRestServer(createRestHandler(view));
});

test.run();
