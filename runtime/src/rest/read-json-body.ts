// Reads a request body as JSON, bounded: a body over the limit is refused (413) without buffering it.
import type { IncomingMessage } from 'node:http';
import { RestError } from './rest-error.ts';

/** The parsed body, or undefined for an empty one. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new RestError(400, [
      `request body is not valid JSON (${(e as Error).message}); send a JSON object with Content-Type: application/json`,
    ]);
  }
}

function tooLarge(maxBytes: number): RestError {
  return new RestError(413, [`request body is larger than the limit of ${maxBytes} bytes`]);
}
