import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { FileSource } from './file-source.ts';
import { createReader, drain } from './reader-test-kit.ts';

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
});

test('JSON lines with a zod schema: a record that does not match is a dead letter', async () => {
  const schema = z.object({ id: z.number(), amount: z.number() });
  const out = await drain(await createReader(FileSource.forJsonLines(jsonl, { schema })));
  assert.equal(
    out.values.map((v) => v.id),
    [1, 4],
  );
  assert.equal(
    out.deadLetters.map((d) => d.where),
    [`${jsonl}:2`, `${jsonl}:4`],
  );
  assert.match(out.deadLetters[1]!.error, /does not match the schema/);
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
  assert.equal(
    out.deadLetters.map((d) => [d.where, d.error]),
    [[`${csv}:4`, 'expected 3 fields (id, customer, amount), got 2']],
  );
});

test('files are split over subtasks and a restore resumes after the last line read', async () => {
  const source = FileSource.forCsv(csv);
  const reader = await createReader(source);
  const first = await drain(reader, 1, 1);
  assert.equal(first.values, [{ id: '1', customer: 'Smith, Jane', amount: '1200.50' }]);
  const state = reader.snapshotState(1);
  reader.close();
  const rest = await drain(await createReader(source, 0, 1, state));
  assert.equal(
    rest.values.map((r) => r.id),
    ['2', '4'],
  );
  const other = await drain(await createReader(FileSource.forCsv([csv, csv]), 1, 2));
  assert.is(other.values.length, 3);
});

test('a missing path fails with the path named', () => {
  assert.throws(() => FileSource.forJsonLines(join(dir, 'nope.jsonl')), /nope\.jsonl does not exist/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
