// The one error type of the REST layer. The server throws it to answer with a status (a ClusterView may
// throw it too, e.g. 409 for cancelling a finished job); the client throws it when a call fails, with the
// server's messages. Whether a retry can help is data on the error (kind and status), as in kafkajs.

/** http: the server answered with an error status; network: no answer; timeout: no answer in time;
 * invalid-response: the answer did not match the contract. */
export type RestErrorKind = 'http' | 'network' | 'timeout' | 'invalid-response';

export type RestErrorOptions = {
  readonly kind?: RestErrorKind;
  /** The call, e.g. "GET http://jm:8081/jobs", to prefix the message with. */
  readonly request?: string;
  readonly cause?: unknown;
};

export class RestError extends Error {
  /** The HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly errors: readonly string[];
  readonly kind: RestErrorKind;

  constructor(status: number, errors: readonly string[], options: RestErrorOptions = {}) {
    const what = errors.join('; ');
    const prefix = options.request === undefined ? '' : `${options.request} failed`;
    const statusText = status === 0 ? '' : ` with ${status}`;
    super(prefix === '' ? what : `${prefix}${statusText}: ${what}`, { cause: options.cause });
    this.name = 'RestError';
    this.status = status;
    this.errors = errors;
    this.kind = options.kind ?? 'http';
  }

  /** True when the same call may succeed later: no answer, 408, 429 or a 502/503/504 from a proxy. */
  get retriable(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout') return true;
    return this.kind === 'http' && [408, 429, 502, 503, 504].includes(this.status);
  }
}
