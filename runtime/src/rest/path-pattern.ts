// A path pattern like /jobs/:jobid/savepoints/:triggerid, matched segment by segment.

export type PathParams = Record<string, string>;

export class PathPattern {
  readonly pattern: string;
  readonly #segments: readonly string[];

  constructor(pattern: string) {
    this.pattern = pattern;
    this.#segments = splitPath(pattern);
  }

  /** The params of a matching path (segments already decoded), or undefined. */
  match(segments: readonly string[]): PathParams | undefined {
    if (segments.length !== this.#segments.length) return undefined;
    const params: PathParams = {};
    for (let i = 0; i < segments.length; i++) {
      const want = this.#segments[i]!;
      const got = segments[i]!;
      if (want.startsWith(':')) params[want.slice(1)] = got;
      else if (want !== got) return undefined;
    }
    return params;
  }

  /** Fills in the params, encoding each: the client's side of match. */
  format(params: PathParams): string {
    const parts = this.#segments.map((s) => {
      if (!s.startsWith(':')) return s;
      const value = params[s.slice(1)];
      if (value === undefined) throw new Error(`path ${this.pattern} needs a value for ${s}`);
      return encodeURIComponent(value);
    });
    return `/${parts.join('/')}`;
  }
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}
