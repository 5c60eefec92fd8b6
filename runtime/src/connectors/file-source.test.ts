import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { FileSource } from './file-source.ts';
import { collectingOutput, createReader, type Drained, drain } from './reader-test-kit.ts';

const dir = mkdtempSync(join(tmpdir(), 'riffle-file-source-'));
const jsonl = join(dir, 'tx.jsonl');
writeFileSync(
  jsonl,
  ['{"id":1,"amount":10}', '{"id":2,"amount":', '', '{"id":3,"amount":"x"}', '{"id":4,"amount":40}'].join(
    '\n',
  ),
);
const csv = join(dir, 'orders.csv');
writeFileSync(
  csv,
  ['id,customer,amount', '1,"Smith, Jane",1200.50', '2,"Bob ""B"" Jones",30', '3,only-two', '4,Ann,5'].join(
    '\n',
  ),
);

test('JSON lines: a bad line is a dead letter with file and line; the rest is read', async () => {
  const out = await drain(await createReader(FileSource.forJsonLines<{ id: number }>(jsonl)));
  assert.equal(
    out.values.map((v) => v.id),
    [1, 3, 4],
  );
  assert.is(out.deadLetters.length, 1);
  assert.is(out.deadLetters[0]!.where, `${jsonl}:2`);
  assert.is(out.deadLetters[0]!.record, '{"id":2,"amount":');
  assert.match(out.deadLetters[0]!.error, /JSON/);
});

test('JSON lines with a zod schema: a record that does not match is a dead letter naming the field', async () => {
  const schema = z.object({ id: z.number(), amount: z.number() });
  const out = await drain(await createReader(FileSource.forJsonLines(jsonl, { schema })));
  assert.equal(out.values, [
    { id: 1, amount: 10 },
    { id: 4, amount: 40 },
  ]);
  assert.equal(
    out.deadLetters.map((d) => d.where),
    [`${jsonl}:2`, `${jsonl}:4`],
  );
  assert.match(out.deadLetters[1]!.error, /^record does not match the schema: amount: .*number/);
});

test('CSV with a header, quoting and a short row', async () => {
  const source = FileSource.forCsv(csv, {
    parse: (r) => ({ id: Number(r.id), customer: r.customer!, amount: Number(r.amount) }),
  });
  const out = await drain(await createReader(source));
  assert.equal(out.values, [
    { id: 1, customer: 'Smith, Jane', amount: 1200.5 },
    { id: 2, customer: 'Bob "B" Jones', amount: 30 },
    { id: 4, customer: 'Ann', amount: 5 },
  ]);
  assert.equal(out.deadLetters, [
    {
      record: '3,only-two',
      where: `${csv}:4`,
      error: 'expected 3 fields (id, customer, amount), got 2',
    },
  ]);
});

test('CSV: quoted newlines, CRLF, a BOM, a throwing parse and an unterminated field at the end', async () => {
  const file = join(dir, 'notes.csv');
  writeFileSync(
    file,
    '\uFEFFid,note\r\n1,"first\r\nsecond"\r\n2,plain\r\n3,"bad"x\r\n\r\nboom,ok\r\n5,"never\r\nclosed\r\n',
  );
  const source = FileSource.forCsv(file, {
    parse: (r) => {
      if (r.id === 'boom') throw new Error('id is not a number');
      return { id: Number(r.id), note: r.note };
    },
  });
  const out = await drain(await createReader(source));
  assert.equal(out.values, [
    { id: 1, note: 'first\nsecond' },
    { id: 2, note: 'plain' },
  ]);
  assert.equal(out.deadLetters, [
    {
      record: '3,"bad"x',
      where: `${file}:5`,
      error: 'unexpected character "x" after a quoted field at column 8',
    },
    { record: 'boom,ok', where: `${file}:7`, error: 'id is not a number' },
    {
      record: '5,"never\nclosed',
      where: `${file}:8`,
      error: 'unterminated quoted field at the end of the file',
    },
  ]);
});

test('CSV without a header names fields by position; a column list and another delimiter', async () => {
  const file = join(dir, 'plain.csv');
  writeFileSync(file, 'a;"b;c"\nd;e\n');
  const byPosition = await drain(
    await createReader(FileSource.forCsv(file, { header: false, delimiter: ';' })),
  );
  assert.equal(byPosition.values, [
    { 0: 'a', 1: 'b;c' },
    { 0: 'd', 1: 'e' },
  ]);
  const named = await drain(
    await createReader(FileSource.forCsv(file, { header: ['left', 'right'], delimiter: ';' })),
  );
  assert.equal(named.values, [
    { left: 'a', right: 'b;c' },
    { left: 'd', right: 'e' },
  ]);
  assert.throws(() => FileSource.forCsv(file, { delimiter: '"' }), /delimiter must be one character/);
});

// A directory of three files of five numbered records each, plus files a reader must leave alone.
const logs = join(dir, 'logs');
mkdirSync(join(logs, 'nested'), { recursive: true });
for (const f of ['a', 'b', 'c']) {
  const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ f, n: i + 1 }));
  writeFileSync(join(logs, `${f}.jsonl`), `${lines.join('\n')}\n`);
}
for (const hidden of ['.hidden.jsonl', '_SUCCESS', 'part-0-0.jsonl.inprogress', 'part-0-1.jsonl.pending']) {
  writeFileSync(join(logs, hidden), 'not json\n');
}
writeFileSync(join(logs, 'nested', 'd.jsonl'), '{"f":"d","n":1}\n');
type Rec = { f: string; n: number };
const key = (r: Rec) => `${r.f}${r.n}`;

test('a directory, a glob and a list name the same files; file i goes to subtask i mod p', async () => {
  const fromDir = FileSource.forJsonLines<Rec>(logs);
  assert.equal(
    fromDir.files,
    ['a', 'b', 'c'].map((f) => join(logs, `${f}.jsonl`)),
  );
  assert.equal(FileSource.forJsonLines(join(logs, '*.jsonl')).files, fromDir.files);
  assert.equal(
    FileSource.forJsonLines([join(logs, 'c.jsonl'), join(logs, '[ab].jsonl')]).files,
    fromDir.files,
  );
  assert.equal(FileSource.forJsonLines(join(logs, '**/d.jsonl')).files, [join(logs, 'nested', 'd.jsonl')]);
  const parts = await Promise.all(
    [0, 1].map(async (s) => (await drain(await createReader(fromDir, s, 2))).values),
  );
  assert.equal(
    parts.map((p) => [...new Set(p.map((r) => r.f))]),
    [['a', 'c'], ['b']],
  );
  const single = (await drain(await createReader(fromDir))).values;
  assert.is(single.length, 15);
  assert.equal(parts.flat().map(key).sort(), single.map(key).sort());
});

test('a restore seeks to the snapshot position and never re-reads finished files', async () => {
  const source = FileSource.forJsonLines<Rec>(logs);
  const reader = await createReader(source, 0, 2); // a.jsonl then c.jsonl
  const first = await drain(reader, 7, 3);
  assert.equal(first.values.map(key), ['a1', 'a2', 'a3', 'a4', 'a5', 'c1', 'c2']);
  const state = reader.snapshotState(1);
  reader.close();
  // Each line of a.jsonl and c.jsonl is 16 bytes with its newline: c1 and c2 end at byte 32.
  assert.equal(state, [{ file: join(logs, 'c.jsonl'), byteOffset: 32, lineNumber: 2 }]);
  const rest = await drain(await createReader(source, 0, 2, state));
  assert.equal(rest.values.map(key), ['c3', 'c4', 'c5']);
});

test('restored at parallelism 1, one reader finishes the splits of two', async () => {
  const source = FileSource.forJsonLines<Rec>(logs);
  const readers = await Promise.all([0, 1].map((s) => createReader(source, s, 2)));
  const before = [...(await drain(readers[0]!, 2)).values, ...(await drain(readers[1]!, 4)).values];
  const states = readers.flatMap((r) => r.snapshotState(1));
  assert.equal(states, [
    { file: join(logs, 'a.jsonl'), byteOffset: 32, lineNumber: 2 },
    { file: join(logs, 'c.jsonl'), byteOffset: 0, lineNumber: 0 },
    { file: join(logs, 'b.jsonl'), byteOffset: 64, lineNumber: 4 },
  ]);
  for (const r of readers) r.close();
  const after = (await drain(await createReader(source, 0, 1, states))).values;
  assert.equal(after.map(key), ['a3', 'a4', 'a5', 'c1', 'c2', 'c3', 'c4', 'c5', 'b5']);
  assert.is(before.length + after.length, 15);
});

test('a CSV snapshot keeps the header, and one inside a multi-line record resumes at its start', async () => {
  const file = join(dir, 'multi.csv');
  writeFileSync(file, 'id,text\n1,"one\ntwo"\n2,x\n');
  const source = FileSource.forCsv(file);
  const reader = await createReader(source);
  const out: Drained<Record<string, string>> = { values: [], timestamps: [], deadLetters: [] };
  while (reader.pollNext(collectingOutput(out), 2) !== 'more-available') await reader.isAvailable();
  // Two lines read: the header and the first line of record 1, which is not complete yet.
  assert.equal(out.values, []);
  const state = reader.snapshotState(1);
  reader.close();
  assert.equal(state, [{ file, byteOffset: 8, lineNumber: 1, header: ['id', 'text'] }]);
  const rest = await drain(await createReader(source, 0, 1, state));
  assert.equal(rest.values, [
    { id: '1', text: 'one\ntwo' },
    { id: '2', text: 'x' },
  ]);
});

test('path errors name the path; a file that vanished fails the read with its name', async () => {
  assert.throws(() => FileSource.forJsonLines(join(dir, 'nope.jsonl')), /nope\.jsonl does not exist/);
  assert.throws(() => FileSource.forJsonLines(join(dir, '*.nothing')), /\*\.nothing matches no files/);
  assert.throws(() => FileSource.forJsonLines([]), /at least one file/);
  const file = join(dir, 'gone.jsonl');
  writeFileSync(file, '1\n');
  const source = FileSource.forJsonLines(file);
  rmSync(file);
  const reader = await createReader(source);
  try {
    await drain(reader);
    assert.unreachable('the read should fail');
  } catch (e) {
    assert.match((e as Error).message, /^FileSource cannot read .*gone\.jsonl: ENOENT/);
  }
  assert.throws(() => source.createReader(ctx(), [{ file }]), /cannot restore from/);
});

function ctx() {
  return {
    subtaskIndex: 0,
    parallelism: 1,
    operatorName: 'files',
    clock: { now: () => 0, schedule: () => ({ cancel() {} }) },
  };
}

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
