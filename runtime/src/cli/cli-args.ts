// A small flag reader for the riffle commands: `--name value` and `--flag`, with errors that name the flag.
export class CliArgs {
  readonly #values = new Map<string, string | true>();
  readonly positional: string[] = [];

  constructor(argv: readonly string[], booleanFlags: readonly string[] = []) {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        this.positional.push(...argv.slice(i + 1));
        break;
      }
      if (a.startsWith('--')) {
        const eq = a.indexOf('=');
        if (eq > 0) this.#values.set(a.slice(2, eq), a.slice(eq + 1));
        else if (booleanFlags.includes(a.slice(2))) this.#values.set(a.slice(2), true);
        else {
          const v = argv[++i];
          if (v === undefined) throw new Error(`${a} needs a value`);
          this.#values.set(a.slice(2), v);
        }
      } else this.positional.push(a);
    }
  }

  string(name: string, fallback?: string): string {
    const v = this.#values.get(name);
    if (typeof v === 'string') return v;
    if (fallback !== undefined) return fallback;
    throw new Error(`missing --${name}`);
  }

  optionalString(name: string): string | undefined {
    const v = this.#values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  int(name: string, fallback: number, min = 0): number {
    const v = this.#values.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be an integer >= ${min}, got ${String(v)}`);
    return n;
  }

  flag(name: string): boolean {
    return this.#values.get(name) === true;
  }
}
