import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BufferedLineReader } from './buffered-line-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'riffle-line-reader-'));

/** Shifts every line, waiting for more when the buffer is empty; records the offsets and the fullest buffer. */
async function readAll(file: string, start: number, maxLines: number, chunkBytes: number) {
  let wake: () => void = () => {};
  const reader = new BufferedLineReader(file, start, maxLines, () => wake(), chunkBytes);
  const lines: string[] = [];
  const ends: number[] = [];
  let fullest = 0;
  for (;;) {
    fullest = Math.max(fullest, reader.buffered);
    const line = reader.shift();
    if (line !== undefined) {
      lines.push(line);
      ends.push(reader.lastEnd);
      continue;
    }
    if (reader.error !== undefined) throw reader.error;
    if (reader.ended) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  reader.close();
  return { lines, ends, fullest };
}

test('lines with CRLF, multi-byte characters across chunk edges, a BOM and no final newline', async () => {
  const file = join(dir, 'mixed.txt');
  writeFileSync(file, '\uFEFFÄpfel\r\nzwei€\n\nlast');
  const all = await readAll(file, 0, 100, 3);
  assert.equal(all.lines, ['Äpfel', 'zwei€', '', 'last']);
  // Byte offsets after each line: BOM 3 + 'Äpfel' 6 + CRLF 2 = 11; 'zwei€' 7 + LF = 19; empty = 20; 'last' = 24.
  assert.equal(all.ends, [11, 19, 20, 24]);
  const resumed = await readAll(file, 11, 100, 3);
  assert.equal(resumed.lines, ['zwei€', '', 'last']);
  assert.equal(resumed.ends, [19, 20, 24]);
});

test('the buffer stays bounded: the stream pauses at maxLines and resumes at half', async () => {
  const file = join(dir, 'many.txt');
  const expected = Array.from({ length: 2000 }, (_, i) => `line ${i}`);
  writeFileSync(file, `${expected.join('\n')}\n`);
  // 64-byte chunks hold at most 9 lines of 7+ bytes, so the buffer never holds more than 20 + 9.
  const all = await readAll(file, 0, 20, 64);
  assert.equal(all.lines, expected);
  assert.ok(all.fullest <= 29, `fullest buffer ${all.fullest}`);
});

test('an unreadable file reports its error', async () => {
  try {
    await readAll(join(dir, 'missing.txt'), 0, 10, 64);
    assert.unreachable('should fail');
  } catch (e) {
    assert.match((e as Error).message, /ENOENT/);
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
