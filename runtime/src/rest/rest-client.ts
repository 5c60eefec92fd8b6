// A typed client of the JobManager's REST API, for the operator and the CLI. One method per endpoint; every
// answer is checked against the contract; every failure is a RestError (status, the server's messages, and
// whether a retry can help).
import type { z } from 'zod';
import type { CheckpointingStatistics } from './checkpointing-statistics.ts';
import type { ClusterOverviewWithVersion } from './cluster-overview.ts';
import type { DashboardConfiguration } from './dashboard-configuration.ts';
import { describeIssues } from './describe-issues.ts';
import { ErrorResponseBody } from './error-response-body.ts';
import type { JobDetailsInfo } from './job-details-info.ts';
import type { JobExceptionsInfoWithHistory } from './job-exceptions-info.ts';
import type { JobIdsWithStatusOverview } from './job-ids-with-status.ts';
import type { JobSubmitRequestInput, JobSubmitResponse } from './job-submit.ts';
import type { MultipleJobsDetails } from './multiple-jobs-details.ts';
import { PathPattern } from './path-pattern.ts';
import { REST_ENDPOINTS, type RestEndpointName } from './rest-endpoints.ts';
import { RestError } from './rest-error.ts';
import type {
  SavepointStatus,
  SavepointTriggerRequestBodyInput,
  StopWithSavepointRequestBodyInput,
  TriggerResponse,
} from './savepoint-requests.ts';
import type { TaskManagersInfo } from './task-managers-info.ts';

export type RestClientOptions = {
  /** Per call, including reading the answer; default 10 s. */
  readonly timeoutMs?: number;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  readonly headers?: Readonly<Record<string, string>>;
};

type CallOptions = {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
};

type Response<K extends RestEndpointName> = z.output<(typeof REST_ENDPOINTS)[K]['response']>;

export class RestClient {
  /** Without a trailing slash, e.g. http://riffle-jobmanager:8081 */
  readonly baseUrl: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(baseUrl: string, options: RestClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? fetch;
    this.#headers = options.headers ?? {};
  }

  overview(): Promise<ClusterOverviewWithVersion> {
    return this.#call('overview');
  }

  config(): Promise<DashboardConfiguration> {
    return this.#call('config');
  }

  jobs(): Promise<JobIdsWithStatusOverview> {
    return this.#call('jobs');
  }

  jobsOverview(): Promise<MultipleJobsDetails> {
    return this.#call('jobsOverview');
  }

  job(jobId: string): Promise<JobDetailsInfo> {
    return this.#call('job', { params: { jobid: jobId } });
  }

  exceptions(jobId: string, options: { maxExceptions?: number } = {}): Promise<JobExceptionsInfoWithHistory> {
    return this.#call('exceptions', { params: { jobid: jobId }, query: options });
  }

  checkpoints(jobId: string): Promise<CheckpointingStatistics> {
    return this.#call('checkpoints', { params: { jobid: jobId } });
  }

  taskManagers(): Promise<TaskManagersInfo> {
    return this.#call('taskManagers');
  }

  /** PATCH /jobs/:jobid?mode=cancel; resolves once the JobManager accepted the cancellation (202). */
  async cancel(jobId: string): Promise<void> {
    await this.#call('cancel', { params: { jobid: jobId }, query: { mode: 'cancel' } });
  }

  submit(request: JobSubmitRequestInput): Promise<JobSubmitResponse> {
    return this.#call('submit', { body: request });
  }

  triggerSavepoint(jobId: string, request: SavepointTriggerRequestBodyInput = {}): Promise<TriggerResponse> {
    return this.#call('triggerSavepoint', { params: { jobid: jobId }, body: request });
  }

  savepointStatus(jobId: string, triggerId: string): Promise<SavepointStatus> {
    return this.#call('savepointStatus', { params: { jobid: jobId, triggerid: triggerId } });
  }

  stop(jobId: string, request: StopWithSavepointRequestBodyInput = {}): Promise<TriggerResponse> {
    return this.#call('stop', { params: { jobid: jobId }, body: request });
  }

  async #call<K extends RestEndpointName>(name: K, options: CallOptions = {}): Promise<Response<K>> {
    const endpoint = REST_ENDPOINTS[name];
    const url = new URL(this.baseUrl + new PathPattern(endpoint.path).format(options.params ?? {}));
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const request = `${endpoint.method} ${url}`;
    const headers: Record<string, string> = { accept: 'application/json', ...this.#headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let text: string;
    let status: number;
    try {
      const res = await this.#fetch(url, {
        method: endpoint.method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      throw transportError(e, request, this.#timeoutMs);
    }
    const json = parseJson(text);
    if (status < 200 || status > 299) throw new RestError(status, serverErrors(json, text), { request });
    if (json === INVALID)
      throw new RestError(status, [`answer is not JSON: ${text.slice(0, 200)}`], {
        kind: 'invalid-response',
        request,
      });
    const parsed = endpoint.response.safeParse(json ?? {});
    if (!parsed.success)
      throw new RestError(status, describeIssues('response', parsed.error.issues, json), {
        kind: 'invalid-response',
        request,
      });
    return parsed.data as Response<K>;
  }
}

const INVALID = Symbol('invalid JSON');

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

function serverErrors(json: unknown, text: string): string[] {
  const body = ErrorResponseBody.safeParse(json);
  if (body.success && body.data.errors.length > 0) return body.data.errors;
  return [text.trim() === '' ? 'no error message in the answer' : text.slice(0, 500)];
}

function transportError(e: unknown, request: string, timeoutMs: number): RestError {
  const name = (e as Error | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return new RestError(0, [`no answer within ${timeoutMs} ms`], { kind: 'timeout', request, cause: e });
  const cause = (e as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const detail = cause?.code ?? cause?.message ?? (e as Error | undefined)?.message ?? String(e);
  return new RestError(0, [`no answer (${detail})`], { kind: 'network', request, cause: e });
}
