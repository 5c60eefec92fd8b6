// Routes the REST API of the JobManager onto the view (Flink's paths). Malformed requests get a 4xx with
// {errors: [...]}; nothing a client sends can crash the process.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { JobManagerView } from './job-manager-view.ts';
import { JobSubmission } from './job-submission.ts';

/** Flink's savepoint (kebab-case) and stop (camelCase) request bodies; an empty body is fine. */
const SavepointBody = z
  .object({
    'target-directory': z.string().min(1).optional(),
    targetDirectory: z.string().min(1).optional(),
    'cancel-job': z.boolean().optional(),
    drain: z.boolean().optional(),
  })
  .nullable();

import { BadRequestError, readJson, sendError, sendJson } from './json-http.ts';

export function basicRestHandler(view: JobManagerView): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(view, req, res).catch((e) => sendError(res, e));
  };
}

async function route(view: JobManagerView, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/^\/v1(?=\/)/, '').replace(/\/$/, '') || '/';
  const method = req.method ?? 'GET';
  const found = (body: unknown, what: string) => {
    if (body === undefined) throw new BadRequestError(`${what} not found`, 404);
    sendJson(res, 200, body);
  };
  let m: RegExpExecArray | null;
  if (method === 'GET' && path === '/overview') return sendJson(res, 200, await view.overview());
  if (method === 'GET' && path === '/config') return sendJson(res, 200, await view.config());
  if (method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
  if (method === 'GET' && path === '/jobs') return sendJson(res, 200, await view.jobs());
  if (method === 'GET' && path === '/jobs/overview') return sendJson(res, 200, await view.jobsOverview());
  if (method === 'GET' && path === '/taskmanagers') return sendJson(res, 200, await view.taskManagers());
  if (method === 'POST' && path === '/jobs')
    return sendJson(res, 202, await view.submit(await readJson(req, JobSubmission)));
  if ((m = /^\/jobs\/([0-9a-f]+)$/.exec(path)) !== null) {
    if (method === 'GET') return found(await view.job(m[1]!), `job ${m[1]}`);
    if (method === 'PATCH') {
      const mode = url.searchParams.get('mode') ?? 'cancel';
      if (mode !== 'cancel')
        throw new BadRequestError(`PATCH /jobs/:jobid?mode=${mode}: only mode=cancel is supported`);
      if (!(await view.cancel(m[1]!))) throw new BadRequestError(`job ${m[1]} not found`, 404);
      return sendJson(res, 202, {});
    }
  }
  if (method === 'GET' && (m = /^\/jobs\/([0-9a-f]+)\/exceptions$/.exec(path)) !== null) {
    return found(await view.exceptions(m[1]!), `job ${m[1]}`);
  }
  if (method === 'GET' && (m = /^\/jobs\/([0-9a-f]+)\/checkpoints$/.exec(path)) !== null) {
    return found(await view.checkpoints(m[1]!), `job ${m[1]}`);
  }
  if (method === 'POST' && (m = /^\/jobs\/([0-9a-f]+)\/(savepoints|stop)$/.exec(path)) !== null) {
    const body = await readJson(req, SavepointBody);
    const targetDirectory = body?.['target-directory'] ?? body?.targetDirectory;
    const r =
      m[2] === 'stop'
        ? await view.stop(m[1]!, targetDirectory === undefined ? {} : { targetDirectory })
        : await view.triggerSavepoint(m[1]!, {
            ...(targetDirectory === undefined ? {} : { targetDirectory }),
            stop: body?.['cancel-job'] === true,
          });
    if (r === undefined) throw new BadRequestError(`job ${m[1]} not found`, 404);
    return sendJson(res, 202, r);
  }
  if (method === 'GET' && (m = /^\/jobs\/([0-9a-f]+)\/savepoints\/([0-9a-f]+)$/.exec(path)) !== null) {
    return found(await view.savepointStatus(m[1]!, m[2]!), `savepoint request ${m[2]} of job ${m[1]}`);
  }
  throw new BadRequestError(`no route ${method} ${path}; see docs/rest-api.md`, 404);
}
