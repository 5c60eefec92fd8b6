import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileSink } from './file-sink.ts';

const ctx = (subtaskIndex: number) => ({ subtaskIndex, parallelism: 2, operatorName: 'sink' });

test('parts roll over by record count and are final after end of input', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-file-sink-'));
  const writer = await FileSink.forJsonLines<{ n: number }>(dir, {
    rollover: { maxRecords: 2 },
  }).createWriter(ctx(1));
  for (let n = 0; n < 5; n++) await writer.write({ n }, 0);
  await writer.flush(true);
  await writer.close();
  assert.equal(readdirSync(dir).sort(), ['part-1-0.jsonl', 'part-1-1.jsonl', 'part-1-2.jsonl']);
  assert.is(readFileSync(join(dir, 'part-1-2.jsonl'), 'utf8'), '{"n":4}\n');
  rmSync(dir, { recursive: true, force: true });
});

test('two-phase: prepared parts stay pending until committed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-file-sink-'));
  const writer = await FileSink.forJsonLines<string>(dir).createWriter(ctx(0));
  await writer.write('a', 0);
  const committable = await writer.prepareCommit!(1);
  assert.equal(readdirSync(dir), ['part-0-0.jsonl.pending']);
  await writer.write('b', 0);
  assert.equal(readdirSync(dir).sort(), ['part-0-0.jsonl.pending', 'part-0-1.jsonl.inprogress']);
  await writer.commit!(committable);
  assert.equal(readdirSync(dir).sort(), ['part-0-0.jsonl', 'part-0-1.jsonl.inprogress']);
  assert.is(readFileSync(join(dir, 'part-0-0.jsonl'), 'utf8'), '"a"\n');
  await writer.close();
  rmSync(dir, { recursive: true, force: true });
});

test.run();
