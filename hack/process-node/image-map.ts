// The image mapping (pure): which local program a container image stands for. The mapping file
// (hack/process-node/images.json) lists image patterns with the image's ENTRYPOINT, CMD and working
// directory (the "image root"), and maps command names (like `node`) to local executables. Container
// `command`/`args` follow Kubernetes' rules: `command` replaces the ENTRYPOINT (and drops CMD), `args`
// replaces CMD; `$(VAR)` in both expands from the container's environment, `$$` escapes.
import { readFileSync } from 'node:fs';

export type ImageEntry = {
  /** Globs over the full image reference (`*` matches anything), e.g. `riffle/runtime:*`. */
  readonly images: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  /** The image's working directory on this machine; `<repo>` is the repository root. */
  readonly workingDir?: string;
  readonly env?: Readonly<Record<string, string>>;
};

export type ImageMap = {
  readonly images: readonly ImageEntry[];
  /** argv[0] substitutions, e.g. `node` → `<node>` (this Node 24). */
  readonly commands: Readonly<Record<string, string>>;
};

export type Placeholders = { readonly repo: string; readonly node: string };

export type ResolvedCommand = {
  readonly argv: readonly string[];
  readonly workingDir: string;
  readonly env: Readonly<Record<string, string>>;
};

function substitute(s: string, p: Placeholders): string {
  return s.replaceAll('<repo>', p.repo).replaceAll('<node>', p.node);
}

export function parseImageMap(text: string, source: string, p: Placeholders): ImageMap {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const obj = raw as { images?: unknown; commands?: unknown };
  if (!Array.isArray(obj.images)) throw new Error(`${source}: "images" must be an array of entries`);
  const images = obj.images.map((e: ImageEntry, i: number): ImageEntry => {
    if (!Array.isArray(e.images) || e.images.length === 0 || e.images.some((s) => typeof s !== 'string'))
      throw new Error(`${source}: images[${i}].images must be a non-empty array of image globs`);
    if (e.entrypoint === undefined && e.cmd === undefined)
      throw new Error(`${source}: images[${i}] (${e.images[0]}) needs "entrypoint" or "cmd"`);
    return {
      images: e.images,
      ...(e.entrypoint === undefined ? {} : { entrypoint: e.entrypoint.map((s) => substitute(s, p)) }),
      ...(e.cmd === undefined ? {} : { cmd: e.cmd.map((s) => substitute(s, p)) }),
      workingDir: substitute(e.workingDir ?? '<repo>', p),
      env: Object.fromEntries(Object.entries(e.env ?? {}).map(([k, v]) => [k, substitute(v, p)])),
    };
  });
  const commands = Object.fromEntries(
    Object.entries((obj.commands ?? {}) as Record<string, string>).map(([k, v]) => [k, substitute(v, p)]),
  );
  return { images, commands };
}

export function loadImageMap(file: string, p: Placeholders): ImageMap {
  return parseImageMap(readFileSync(file, 'utf8'), file, p);
}

export function globMatches(glob: string, value: string): boolean {
  const re = new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(value);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Kubernetes' `$(VAR)` expansion: defined variables expand, undefined ones stay verbatim, `$$` → `$`. */
export function expandVars(s: string, lookup: (name: string) => string | undefined): string {
  return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (whole, name: string | undefined) => {
    if (name === undefined) return '$';
    return lookup(name) ?? whole;
  });
}

export function resolveCommand(
  map: ImageMap,
  container: { name: string; image?: string; command?: string[]; args?: string[] },
  env: Readonly<Record<string, string>>,
): ResolvedCommand {
  const image = container.image ?? '';
  const entry = map.images.find((e) => e.images.some((g) => globMatches(g, image)));
  if (entry === undefined) {
    const known = map.images.flatMap((e) => e.images).join(', ');
    throw new Error(
      `container ${container.name}: image "${image}" has no local command in the image map (known: ${known}); add it to hack/process-node/images.json`,
    );
  }
  const lookup = (name: string): string | undefined => env[name];
  const expand = (list: readonly string[]): string[] => list.map((s) => expandVars(s, lookup));
  const argv =
    container.command !== undefined && container.command.length > 0
      ? [...expand(container.command), ...expand(container.args ?? [])]
      : [
          ...(entry.entrypoint ?? []),
          ...(container.args !== undefined ? expand(container.args) : (entry.cmd ?? [])),
        ];
  if (argv.length === 0)
    throw new Error(`container ${container.name}: image "${image}" resolves to an empty command`);
  const first = argv[0] as string;
  const mapped = map.commands[first];
  return {
    argv: mapped === undefined ? argv : [mapped, ...argv.slice(1)],
    workingDir: entry.workingDir ?? '',
    env: entry.env ?? {},
  };
}
