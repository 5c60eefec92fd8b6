// The JobManager's REST API as a node:http request listener: routes Flink's paths onto a ClusterView,
// validates path params, query and body against the contract, and answers every failure with
// {errors: [...]}: 4xx for what the client sent (naming the field and the fix), 500 with the message when
// the view throws. Nothing a client sends can crash the process.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { ClusterView } from './cluster-view.ts';
import { describeIssues, type RequestPart } from './describe-issues.ts';
import type { JobExceptionsInfoWithHistory } from './job-exceptions-info.ts';
import { readJsonBody } from './read-json-body.ts';
import { PATH_PARAMS, REST_ENDPOINTS, type RestEndpoint, type RestEndpointName } from './rest-endpoints.ts';
import { RestError } from './rest-error.ts';
import { Router } from './router.ts';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export type RestHandlerOptions = {
  /** Serves GET /metrics (see createMetricsHandler); without it /metrics is a 404. */
  readonly metrics?: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  /** Largest accepted request body; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Check every answer of the view against the response schema (a mismatch is a 500); for tests. */
  readonly validateResponses?: boolean;
  /** Called for every 5xx, e.g. to log it. */
  readonly onError?: (error: unknown, request: { method: string; url: string }) => void;
};

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

type Input<E extends RestEndpoint> = {
  readonly params: Readonly<Record<string, string>>;
  readonly query: E extends { query: z.ZodType } ? z.output<E['query']> : undefined;
  readonly body: E extends { body: z.ZodType } ? z.output<E['body']> : undefined;
};

type Endpoints = typeof REST_ENDPOINTS;

/** Each endpoint's call into the view; undefined means "not found". */
const CALLS: {
  [K in RestEndpointName]: (view: ClusterView, input: Input<Endpoints[K]>) => Promise<unknown>;
} = {
  overview: (view) => view.overview(),
  config: (view) => view.config(),
  jobs: (view) => view.jobs(),
  jobsOverview: (view) => view.jobsOverview(),
  submit: (view, { body }) => view.submit(body),
  job: (view, { params }) => view.job(params.jobid!),
  cancel: async (view, { params }) => ((await view.cancel(params.jobid!)) ? {} : undefined),
  exceptions: async (view, { params, query }) => {
    const info = await view.exceptions(params.jobid!);
    return info === undefined || query.maxExceptions === undefined
      ? info
      : limitExceptions(info, query.maxExceptions);
  },
  checkpoints: (view, { params }) => view.checkpoints(params.jobid!),
  triggerSavepoint: (view, { params, body }) => view.triggerSavepoint(params.jobid!, body),
  savepointStatus: (view, { params }) => view.savepointStatus(params.jobid!, params.triggerid!),
  stop: (view, { params, body }) => view.stop(params.jobid!, body),
  taskManagers: (view) => view.taskManagers(),
};

type RouteTarget = RestEndpointName | 'metrics' | 'healthz';

export function createRestHandler(view: ClusterView, options: RestHandlerOptions = {}): RequestListener {
  const router = new Router<RouteTarget>()
    .add('GET', '/metrics', 'metrics')
    .add('GET', '/healthz', 'healthz');
  // Literal paths first: /jobs/overview must not match /jobs/:jobid.
  const names = Object.keys(REST_ENDPOINTS) as RestEndpointName[];
  const literalFirst = [...names].sort((a, b) => paramCount(a) - paramCount(b));
  for (const name of literalFirst) router.add(REST_ENDPOINTS[name].method, REST_ENDPOINTS[name].path, name);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof RestError ? error.status : 500;
      try {
        if (status >= 500) options.onError?.(error, { method: req.method ?? '', url: req.url ?? '' });
      } catch {
        // A failing logger must not turn a 500 into a crash.
      }
      const errors = error instanceof RestError ? [...error.errors] : [errorMessage(error)];
      try {
        sendJson(req, res, status, { errors });
      } catch {
        res.destroy();
      }
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = router.match(req.method ?? 'GET', url.pathname);
    if (route.value === 'healthz') return sendJson(req, res, 200, { status: 'ok' });
    if (route.value === 'metrics') {
      if (options.metrics === undefined)
        throw new RestError(404, ['this process does not serve metrics at /metrics']);
      return await options.metrics(req, res);
    }
    const name = route.value;
    const endpoint: RestEndpoint = REST_ENDPOINTS[name];
    const params: Record<string, string> = {};
    for (const [key, raw] of Object.entries(route.params))
      params[key] = validate(PATH_PARAMS[key]!, raw, 'path parameter', key);
    const query =
      endpoint.query === undefined
        ? undefined
        : validate(endpoint.query, Object.fromEntries(url.searchParams), 'query parameter');
    const body =
      endpoint.body === undefined
        ? undefined
        : validate(endpoint.body, emptyAsObject(await readJsonBody(req, maxBodyBytes)), 'request body');
    const call = CALLS[name] as (view: ClusterView, input: Input<RestEndpoint>) => Promise<unknown>;
    const result = await call(view, { params, query, body } as Input<RestEndpoint>);
    if (result === undefined) throw new RestError(404, [notFound(name, params)]);
    if (options.validateResponses === true) validate(endpoint.response, result, 'response');
    sendJson(req, res, endpoint.status, result);
  }
}

function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  part: RequestPart,
  name?: string,
): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  if (name !== undefined)
    throw new RestError(400, [
      `${part} ${name}: ${parsed.error.issues.map((i) => i.message).join('; ')} (${JSON.stringify(input)} given)`,
    ]);
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  const errors = describeIssues(
    part,
    parsed.error.issues,
    input,
    shape === undefined ? [] : Object.keys(shape),
  );
  throw part === 'response'
    ? new RestError(
        500,
        errors.map((e) => `the server's answer breaks the REST contract: ${e}`),
      )
    : new RestError(400, errors);
}

function notFound(name: RestEndpointName, params: Record<string, string>): string {
  if (name === 'savepointStatus')
    return `savepoint request ${params.triggerid} of job ${params.jobid} not found`;
  return `job ${params.jobid} not found`;
}

function limitExceptions(info: JobExceptionsInfoWithHistory, max: number): JobExceptionsInfoWithHistory {
  const entries = info.exceptionHistory.entries;
  return {
    ...info,
    exceptionHistory: {
      entries: entries.slice(0, max),
      truncated: info.exceptionHistory.truncated || entries.length > max,
    },
  };
}

/** An empty body means "all defaults", as in Flink; a JSON null is still an error. */
function emptyAsObject(body: unknown): unknown {
  return body === undefined ? {} : body;
}

function paramCount(name: RestEndpointName): number {
  return REST_ENDPOINTS[name].path.split(':').length - 1;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  let text: string;
  try {
    text = JSON.stringify(body);
  } catch (e) {
    status = 500;
    text = JSON.stringify({ errors: [`the answer could not be written as JSON: ${errorMessage(e)}`] });
  }
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  };
  // A body left unread (e.g. over the size limit) would have to be drained: close the connection instead.
  if (!req.complete) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}
