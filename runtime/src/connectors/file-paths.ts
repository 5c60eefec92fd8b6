// Expands a FileSource's input (a file, a directory, a glob, or a list of them) into a sorted list of files.
// Directories contribute their regular files, skipping hidden ones ('.', '_' prefixes, as Flink does) and a
// FileSink's unfinished parts (`.inprogress`, `.pending`), so a job can read what another job finished.
import { globSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const GLOB_CHARS = /[*?[\]{}]/;

export function resolveInputFiles(input: string | readonly string[]): string[] {
  const entries = typeof input === 'string' ? [input] : input;
  if (entries.length === 0) throw new Error('FileSource needs at least one file, directory or glob');
  const files: string[] = [];
  for (const entry of entries) {
    if (GLOB_CHARS.test(entry)) {
      const matches = globSync(entry)
        .map((m) => resolve(m))
        .filter(isFile)
        .sort();
      if (matches.length === 0) throw new Error(`FileSource: the glob ${entry} matches no files`);
      files.push(...matches);
      continue;
    }
    const path = resolve(entry);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      throw new Error(
        `FileSource: ${entry} does not exist; give a file, a directory, a glob or a list of them`,
      );
    }
    if (!stat.isDirectory()) {
      files.push(path);
      continue;
    }
    for (const d of readdirSync(path, { withFileTypes: true })) {
      if (d.isFile() && isVisible(d.name)) files.push(join(path, d.name));
    }
  }
  return [...new Set(files)].sort();
}

function isVisible(name: string): boolean {
  return (
    !name.startsWith('.') &&
    !name.startsWith('_') &&
    !name.endsWith('.inprogress') &&
    !name.endsWith('.pending')
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
