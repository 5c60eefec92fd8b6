import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FileSink } from './file-sink.ts';

const root = mkdtempSync(join(tmpdir(), 'riffle-file-sink-'));
let dirs = 0;
/** A directory that does not exist yet: the sink creates it. */
const freshDir = () => join(root, `out-${dirs++}`, 'nested');
const ctx = (subtaskIndex: number) => ({ subtaskIndex, parallelism: 2, operatorName: 'sink' });
const listing = (dir: string) => readdirSync(dir).sort();
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

test('parts roll over by record count and are final after end of input', async () => {
  const dir = freshDir();
  const writer = await FileSink.forJsonLines<{ n: number }>(dir, {
    rollover: { maxRecords: 2 },
  }).createWriter(ctx(1));
  for (let n = 0; n < 5; n++) await writer.write({ n });
  assert.equal(listing(dir), [
    'part-1-0.jsonl.pending',
    'part-1-1.jsonl.pending',
    'part-1-2.jsonl.inprogress',
  ]);
  await writer.flush(true);
  await writer.close();
  assert.equal(listing(dir), ['part-1-0.jsonl', 'part-1-1.jsonl', 'part-1-2.jsonl']);
  assert.is(read(dir, 'part-1-0.jsonl'), '{"n":0}\n{"n":1}\n');
  assert.is(read(dir, 'part-1-1.jsonl'), '{"n":2}\n{"n":3}\n');
  assert.is(read(dir, 'part-1-2.jsonl'), '{"n":4}\n');
});

test('parts roll over by size, counting UTF-8 bytes; format shapes the lines', async () => {
  const dir = freshDir();
  const sink = FileSink.forJsonLines<string>(dir, { rollover: { maxBytes: 10 }, format: (s) => `<${s}>` });
  const writer = await sink.createWriter(ctx(0));
  // '<äää>\n' is 9 bytes (6 characters): a second line passes 10 bytes and rolls the part.
  for (const s of ['äää', 'b', 'c', 'd']) await writer.write(s);
  await writer.flush(true);
  assert.equal(listing(dir), ['part-0-0.jsonl', 'part-0-1.jsonl']);
  assert.is(read(dir, 'part-0-0.jsonl'), '<äää>\n<b>\n');
  assert.is(read(dir, 'part-0-1.jsonl'), '<c>\n<d>\n');
});

test('writes are buffered: flush(false) hands them to the in-progress file, which stays in progress', async () => {
  const dir = freshDir();
  const writer = await FileSink.forJsonLines<number>(dir).createWriter(ctx(0));
  assert.is(writer.write(1), undefined);
  assert.is(writer.write(2), undefined);
  await writer.flush(false);
  await writer.flush(false); // nothing new: still resolves
  assert.equal(listing(dir), ['part-0-0.jsonl.inprogress']);
  assert.is(read(dir, 'part-0-0.jsonl.inprogress'), '1\n2\n');
  await writer.close();
  assert.equal(listing(dir), ['part-0-0.jsonl.pending'], 'close seals the part but does not commit it');
});

test('write returns a promise only when the stream is full, and it resolves on drain', async () => {
  const dir = freshDir();
  const line = 'x'.repeat(999); // 1,000 characters with the newline
  const writer = await FileSink.forJsonLines<string>(dir, { format: () => line }).createWriter(ctx(0));
  const results = Array.from({ length: 66 }, () => writer.write(''));
  assert.is(
    results.findIndex((r) => r !== undefined),
    65,
    'the 66th line passes the 64 KiB batch and fills the stream',
  );
  await results[65];
  await writer.flush(true);
  assert.is(read(dir, 'part-0-0.jsonl').length, 66_000);
});

test('two-phase: prepared parts stay pending until committed; commit is idempotent', async () => {
  const dir = freshDir();
  const writer = await FileSink.forJsonLines<string>(dir, { rollover: { maxRecords: 2 } }).createWriter(
    ctx(0),
  );
  for (const s of ['a', 'b', 'c']) await writer.write(s);
  const committable = await writer.prepareCommit(1);
  assert.equal(committable, ['part-0-0.jsonl', 'part-0-1.jsonl']);
  assert.equal(listing(dir), ['part-0-0.jsonl.pending', 'part-0-1.jsonl.pending']);
  await writer.write('d');
  assert.equal(listing(dir), [
    'part-0-0.jsonl.pending',
    'part-0-1.jsonl.pending',
    'part-0-2.jsonl.inprogress',
  ]);
  assert.equal(await writer.prepareCommit(2), ['part-0-2.jsonl']);
  await writer.commit(committable);
  assert.equal(listing(dir), ['part-0-0.jsonl', 'part-0-1.jsonl', 'part-0-2.jsonl.pending']);
  assert.is(read(dir, 'part-0-0.jsonl'), '"a"\n"b"\n');
  assert.is(read(dir, 'part-0-1.jsonl'), '"c"\n');
  await writer.commit(committable); // a retried commit after a restore
  assert.equal(await writer.prepareCommit(3), [], 'nothing new to prepare');
  try {
    await writer.commit(['part-0-9.jsonl']);
    assert.unreachable('an unknown part cannot be committed');
  } catch (e) {
    assert.match((e as Error).message, /FileSink cannot commit .*part-0-9\.jsonl\.pending/);
  }
  await writer.close();
});

test('a later run into the same directory continues the counter instead of overwriting', async () => {
  const dir = freshDir();
  const sink = FileSink.forJsonLines<number>(dir);
  const first = await sink.createWriter(ctx(0));
  await first.write(1);
  await first.flush(true);
  writeFileSync(join(dir, 'part-0-4.jsonl.inprogress'), 'left by a crash\n');
  const second = await sink.createWriter(ctx(0));
  await second.write(2);
  await second.flush(true);
  const other = await sink.createWriter(ctx(1));
  await other.write(3);
  await other.flush(true);
  assert.equal(listing(dir), [
    'part-0-0.jsonl',
    'part-0-4.jsonl.inprogress',
    'part-0-5.jsonl',
    'part-1-0.jsonl',
  ]);
  assert.is(read(dir, 'part-0-5.jsonl'), '2\n');
});

test('invalid rollover limits are rejected with the field named', () => {
  assert.throws(
    () => FileSink.forJsonLines(freshDir(), { rollover: { maxRecords: 0 } }),
    /rollover.maxRecords/,
  );
  assert.throws(
    () => FileSink.forJsonLines(freshDir(), { rollover: { maxBytes: 1.5 } }),
    /rollover.maxBytes/,
  );
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
