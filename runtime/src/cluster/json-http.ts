// JSON over HTTP for the internal JobManager/TaskManager protocol: bounded bodies, schema validation, and
// errors that name the request and the field.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

const MAX_BODY = 4 * 1024 * 1024;

export class BadRequestError extends Error {
  readonly status: number;

  constructor(message: string, status = 400) {
    super(message);
    this.name = 'BadRequestError';
    this.status = status;
  }
}

export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequestError(`request body over ${MAX_BODY} bytes`, 413);
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch (e) {
    throw new BadRequestError(`${req.method} ${req.url}: body is not valid JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new BadRequestError(`${req.method} ${req.url}: ${issues}`);
  }
  return parsed.data;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, e: unknown): void {
  const status = e instanceof BadRequestError ? e.status : 500;
  sendJson(res, status, { errors: [e instanceof Error ? e.message : String(e)] });
}

/** POSTs JSON and returns the parsed response; throws with the status and the server's errors. */
export async function postJson(url: string, body: unknown, timeoutMs = 5000): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const parsed: unknown = text.length > 0 ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const errors = (parsed as { errors?: string[] } | undefined)?.errors?.join('; ') ?? text;
    throw new Error(`POST ${url} failed with ${res.status}: ${errors}`);
  }
  return parsed;
}
