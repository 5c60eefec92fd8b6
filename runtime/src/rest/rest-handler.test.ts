import { connect } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { z } from 'zod';
import { ErrorResponseBody } from './error-response-body.ts';
import { REST_ENDPOINTS } from './rest-endpoints.ts';
import { RestError } from './rest-error.ts';
import { createRestHandler, type RestHandlerOptions } from './rest-handler.ts';
import { type RestServer, startRestServer } from './rest-server.ts';
import { JOB_ID, OTHER_JOB_ID, TestingClusterView, TRIGGER_ID } from './testing-cluster-view.ts';

let view: TestingClusterView;
let server: RestServer;

async function start(options: RestHandlerOptions = {}): Promise<void> {
  view = new TestingClusterView();
  server = await startRestServer(createRestHandler(view, { validateResponses: true, ...options }));
}

test.before.each(() => start());
test.after.each(() => server.close());

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, { method, body, headers });
  const text = await res.text();
  const isJson = res.headers.get('content-type')?.startsWith('application/json') === true;
  return { status: res.status, text, json: isJson ? JSON.parse(text) : undefined };
}

async function ok<S extends z.ZodType>(
  schema: S,
  method: string,
  path: string,
  body?: unknown,
  status = 200,
) {
  const res = await call(method, path, body === undefined ? undefined : JSON.stringify(body));
  assert.is(res.status, status, res.text);
  return schema.parse(res.json) as z.output<S>;
}

async function fails(status: number, method: string, path: string, body?: string): Promise<string> {
  const res = await call(method, path, body, { 'content-type': 'application/json' });
  assert.is(res.status, status, res.text);
  const errors = ErrorResponseBody.parse(res.json).errors;
  assert.ok(errors.length > 0);
  return errors.join('\n');
}

test('every GET endpoint answers in its schema', async () => {
  const e = REST_ENDPOINTS;
  const overview = await ok(e.overview.response, 'GET', '/overview');
  assert.is(overview['slots-total'], 4);
  await ok(e.config.response, 'GET', '/config');
  assert.equal(await ok(e.jobs.response, 'GET', '/jobs'), { jobs: [{ id: JOB_ID, status: 'RUNNING' }] });
  await ok(e.jobsOverview.response, 'GET', '/jobs/overview');
  assert.is((await ok(e.job.response, 'GET', `/jobs/${JOB_ID}`)).vertices.length, 1);
  await ok(e.exceptions.response, 'GET', `/jobs/${JOB_ID}/exceptions`);
  await ok(e.checkpoints.response, 'GET', `/jobs/${JOB_ID}/checkpoints`);
  await ok(e.taskManagers.response, 'GET', '/taskmanagers');
  const status = await ok(e.savepointStatus.response, 'GET', `/jobs/${JOB_ID}/savepoints/${TRIGGER_ID}`);
  assert.equal(status.operation, { location: 's3://bucket/sp/savepoint-1' });
});

test('the /v1 prefix and upper-case ids work like Flink', async () => {
  await ok(REST_ENDPOINTS.job.response, 'GET', `/v1/jobs/${JOB_ID.toUpperCase()}`);
});

test('POST /jobs fills in defaults and answers 202 {jobid}', async () => {
  const r = await ok(REST_ENDPOINTS.submit.response, 'POST', '/jobs', { jobModule: 'examples/wc.ts' }, 202);
  assert.equal(r, { jobid: OTHER_JOB_ID });
  assert.equal(view.submitted, [{ jobModule: 'examples/wc.ts', args: [], allowNonRestoredState: false }]);
});

test('cancel, savepoint and stop answer 202', async () => {
  const cancel = await call('PATCH', `/jobs/${JOB_ID}?mode=cancel`);
  assert.is(cancel.status, 202);
  assert.equal(cancel.json, {});
  assert.equal(view.cancelled, [JOB_ID]);
  assert.is((await call('PATCH', `/jobs/${JOB_ID}`)).status, 202);
  const triggerId = 'ABCDEFABCDEFABCDEFABCDEFABCDEFAB';
  const sp = await ok(
    REST_ENDPOINTS.triggerSavepoint.response,
    'POST',
    `/jobs/${JOB_ID}/savepoints`,
    {
      'target-directory': 's3://b/sp',
      triggerId,
    },
    202,
  );
  assert.equal(sp, { 'request-id': triggerId.toLowerCase() });
  assert.equal(view.savepoints, [
    {
      'target-directory': 's3://b/sp',
      'cancel-job': false,
      formatType: 'CANONICAL',
      triggerId: triggerId.toLowerCase(),
    },
  ]);
  const empty = await call('POST', `/jobs/${JOB_ID}/savepoints`);
  assert.is(empty.status, 202, empty.text);
  const stop = await ok(
    REST_ENDPOINTS.stop.response,
    'POST',
    `/jobs/${JOB_ID}/stop`,
    { targetDirectory: 's3://b' },
    202,
  );
  assert.equal(stop, { 'request-id': TRIGGER_ID });
  assert.equal(view.stops, [{ targetDirectory: 's3://b', drain: false, formatType: 'CANONICAL' }]);
});

test('?maxExceptions keeps the newest entries and marks the history truncated', async () => {
  const r = await ok(REST_ENDPOINTS.exceptions.response, 'GET', `/jobs/${JOB_ID}/exceptions?maxExceptions=1`);
  assert.is(r.exceptionHistory.entries.length, 1);
  assert.is(r.exceptionHistory.entries[0]!.timestamp, 1_700_000_000_002);
  assert.ok(r.exceptionHistory.truncated);
  assert.match(
    await fails(400, 'GET', `/jobs/${JOB_ID}/exceptions?maxExceptions=lots`),
    /maxExceptions must be/,
  );
});

test('unknown jobs and savepoint requests are 404 naming them', async () => {
  assert.match(await fails(404, 'GET', `/jobs/${OTHER_JOB_ID}`), `job ${OTHER_JOB_ID} not found`);
  assert.match(await fails(404, 'PATCH', `/jobs/${OTHER_JOB_ID}`), `job ${OTHER_JOB_ID} not found`);
  assert.match(await fails(404, 'POST', `/jobs/${OTHER_JOB_ID}/stop`, '{}'), 'not found');
  assert.match(await fails(404, 'GET', `/jobs/${JOB_ID}/savepoints/${OTHER_JOB_ID}`), /savepoint request/);
});

test('malformed ids, paths and methods are 4xx with a hint', async () => {
  assert.match(
    await fails(400, 'GET', '/jobs/not-a-job'),
    /path parameter jobid: a job id is 32 hexadecimal/,
  );
  assert.match(await fails(400, 'GET', `/jobs/${JOB_ID}/savepoints/xyz`), /trigger id is 32 hexadecimal/);
  assert.match(await fails(404, 'GET', '/jobz'), /no endpoint GET \/jobz; see docs\/rest-api.md/);
  assert.match(await fails(405, 'DELETE', `/jobs/${JOB_ID}`), /use GET or PATCH/);
  assert.match(await fails(405, 'PUT', '/overview'), /use GET \/overview/);
  assert.match(await fails(400, 'PATCH', `/jobs/${JOB_ID}?mode=stop`), /POST \/jobs\/:jobid\/stop/);
  assert.match(await fails(400, 'GET', '/jobs/%zz'), /percent-encoding/);
});

test('bad bodies are 400 naming the field and the fix', async () => {
  assert.match(await fails(400, 'POST', '/jobs', '{"jobModule": '), /request body is not valid JSON/);
  assert.match(
    await fails(400, 'POST', '/jobs', '[1,2]'),
    /request body must be a JSON object \(a list given\)/,
  );
  assert.match(await fails(400, 'POST', '/jobs', 'null'), /must be a JSON object/);
  assert.match(await fails(400, 'POST', '/jobs', ''), /"jobModule" is missing: jobModule must be a string/);
  const wrongTypes = await fails(400, 'POST', '/jobs', '{"jobModule": 7, "parallelism": "2", "args": [1]}');
  assert.match(wrongTypes, /"jobModule": jobModule must be a string.*\(number 7 given\)/);
  assert.match(
    wrongTypes,
    /"parallelism": parallelism must be a whole number from 1 to 32768 \(string "2" given\)/,
  );
  assert.match(wrongTypes, /"args.0": args must be a list of strings/);
  assert.match(
    await fails(400, 'POST', '/jobs', '{"jobModule": "j.ts", "parallelism": 0}'),
    /from 1 to 32768/,
  );
  const typo = await fails(400, 'POST', `/jobs/${JOB_ID}/savepoints`, '{"targetDirectory": "s3://b"}');
  assert.match(typo, /unknown field "targetDirectory"; did you mean "target-directory"\?/);
  const unknown = await fails(400, 'POST', `/jobs/${JOB_ID}/stop`, '{"bogus": 1}');
  assert.match(unknown, /unknown field "bogus"; known fields are "targetDirectory", "drain"/);
  assert.match(
    await fails(400, 'POST', `/jobs/${JOB_ID}/stop`, '{"drain": "yes"}'),
    /drain must be true or false/,
  );
  assert.match(
    await fails(400, 'POST', `/jobs/${JOB_ID}/stop`, '{"formatType": "X"}'),
    /"CANONICAL" or "NATIVE"/,
  );
});

test('a body over the limit is 413', async () => {
  await server.close();
  await start({ maxBodyBytes: 100 });
  const big = JSON.stringify({ jobModule: 'x'.repeat(1000) });
  assert.match(await fails(413, 'POST', '/jobs', big), /larger than the limit of 100 bytes/);
  // Without content-length (chunked), the limit holds while streaming.
  const stream = new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode(big));
      c.close();
    },
  });
  const res = await fetch(`${server.url}/jobs`, {
    method: 'POST',
    body: stream,
    duplex: 'half',
  } as RequestInit);
  assert.is(res.status, 413);
  await res.text();
});

test('a view that throws gives 500 with its message; a RestError keeps its status', async () => {
  const logged: unknown[] = [];
  await server.close();
  await start({ onError: (e) => logged.push(e) });
  view.failWith = new Error('scheduler exploded');
  assert.match(await fails(500, 'GET', '/overview'), 'scheduler exploded');
  assert.is(logged.length, 1);
  view.failWith = 'a string';
  assert.match(await fails(500, 'GET', '/jobs'), 'a string');
  view.failWith = undefined;
  assert.match(
    await fails(409, 'POST', `/jobs/${JOB_ID}/stop`, '{"drain": true}'),
    /no default savepoint directory/,
  );
  view.failWith = new RestError(409, ['job is already finished']);
  assert.match(await fails(409, 'PATCH', `/jobs/${JOB_ID}`), 'job is already finished');
  assert.is(logged.length, 2);
  await server.close();
  await start({
    onError: () => {
      throw new Error('logger down');
    },
  });
  view.failWith = new Error('boom');
  assert.match(await fails(500, 'GET', '/overview'), 'boom');
});

test('a view answer that breaks the contract is a 500 naming the field', async () => {
  view.overview = async () => ({ taskmanagers: -1 }) as never;
  assert.match(await fails(500, 'GET', '/overview'), /breaks the REST contract: response "taskmanagers"/);
});

test('/healthz, and /metrics only when a metrics handler is given', async () => {
  assert.equal((await call('GET', '/healthz')).json, { status: 'ok' });
  assert.match(await fails(404, 'GET', '/metrics'), /does not serve metrics/);
  await server.close();
  await start({
    metrics: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('up 1\n');
    },
  });
  assert.is((await call('GET', '/metrics')).text, 'up 1\n');
  await server.close();
  await start({
    metrics: async () => {
      throw new Error('registry broken');
    },
  });
  assert.match(await fails(500, 'GET', '/metrics'), 'registry broken');
});

function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.end(bytes));
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

test('garbage on the socket never takes the server down', async () => {
  assert.match(await raw('NONSENSE\r\n\r\n'), /^HTTP\/1\.1 400/);
  assert.match(await raw('\x00\x01\x02\xff garbage'), /^HTTP\/1\.1 400/);
  assert.match(await raw('GET /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n'), /^HTTP\/1\.1 400/);
  const lying = await raw(
    'POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\nConnection: close\r\n\r\n{"jobMod',
  );
  assert.ok(lying === '' || /^HTTP\/1\.1 4/.test(lying));
  const weird = await raw('GET //jobs/../../etc/passwd?%%% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(weird, /^HTTP\/1\.1 (400|404)/);
  // A client that vanishes in the middle of a body.
  await new Promise<void>((resolve) => {
    const socket = connect(server.port, '127.0.0.1', () => {
      socket.write('POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"jobModule":');
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 20);
    });
  });
  const garbage = ['{', '"\\u12"', '{"a":'.repeat(5000), '\u0000', '{"jobModule":"a","args":"x"}'];
  for (const body of garbage) {
    const res = await call('POST', '/jobs', body);
    assert.is(res.status, 400, body.slice(0, 20));
  }
  await ok(REST_ENDPOINTS.overview.response, 'GET', '/overview');
});

test.run();
