// file:// checkpoint storage: the embedded default. Files are written to a temporary name and renamed, so
// a reader never sees half a file.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CheckpointStorage } from './checkpoint-storage.ts';

export class FileCheckpointStorage implements CheckpointStorage {
  readonly uri: string;
  readonly #dir: string;

  constructor(uriOrPath: string) {
    this.#dir = uriOrPath.startsWith('file://') ? fileURLToPath(uriOrPath) : uriOrPath;
    this.uri = pathToFileURL(this.#dir).href;
  }

  #abs(path: string): string {
    if (path.split('/').includes('..')) throw new Error(`checkpoint path ${path} must not contain ".."`);
    return join(this.#dir, path);
  }

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const target = this.#abs(path);
    await mkdir(dirname(target), { recursive: true });
    // Unique per write: two writers of one path (threads of a process, or processes) never share a temp file.
    const tmp = `${target}.tmp-${process.pid}-${randomUUID()}`;
    await writeFile(tmp, bytes);
    await rename(tmp, target);
  }

  async read(path: string): Promise<Uint8Array> {
    return readFile(this.#abs(path));
  }

  async exists(path: string): Promise<boolean> {
    return stat(this.#abs(path)).then(
      () => true,
      () => false,
    );
  }

  async list(prefix: string): Promise<string[]> {
    try {
      return (await readdir(this.#abs(prefix))).filter((n) => !n.includes('.tmp-')).sort();
    } catch {
      return [];
    }
  }

  async remove(prefix: string): Promise<void> {
    await rm(this.#abs(prefix), { recursive: true, force: true });
  }
}
