// Method + path routing with :params. Flink serves its API under an optional /v1 prefix; so does Riffle.
// A path that exists under another method is a 405 (with Allow), a path that does not exist a 404.
import { type PathParams, PathPattern, splitPath } from './path-pattern.ts';
import { RestError } from './rest-error.ts';

export type RouteMatch<T> = { readonly value: T; readonly params: PathParams; readonly pattern: string };

type Route<T> = { readonly method: string; readonly pattern: PathPattern; readonly value: T };

export class Router<T> {
  readonly #routes: Route<T>[] = [];

  /** Routes match in the order they were added: add literal paths (/jobs/overview) before :params. */
  add(method: string, pattern: string, value: T): this {
    this.#routes.push({ method, pattern: new PathPattern(pattern), value });
    return this;
  }

  /** The route for a request, or a RestError (400 bad encoding, 404 unknown path, 405 wrong method). */
  match(method: string, pathname: string): RouteMatch<T> {
    const segments = decodeSegments(pathname);
    if (segments[0] === 'v1') segments.shift();
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const params = route.pattern.match(segments);
      if (params === undefined) continue;
      if (route.method === method) return { value: route.value, params, pattern: route.pattern.pattern };
      if (!allowed.includes(route.method)) allowed.push(route.method);
    }
    const path = `/${segments.join('/')}`;
    if (allowed.length > 0)
      throw new RestError(405, [`${method} ${path} is not supported; use ${allowed.join(' or ')} ${path}`]);
    throw new RestError(404, [`no endpoint ${method} ${path}; see docs/rest-api.md for the endpoints`]);
  }
}

function decodeSegments(pathname: string): string[] {
  return splitPath(pathname).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new RestError(400, [`path segment "${s}" is not valid percent-encoding`]);
    }
  });
}
