// The connectors inside real jobs on the local engine: files in, dead letters out, parts committed.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEAD_LETTER } from '../api/dead-letter.ts';
import { StreamExecutionEnvironment } from '../api/execution-environment.ts';
import { CollectSink } from './collect-sink.ts';
import { DataGeneratorSource } from './datagen-source.ts';
import { FileSink } from './file-sink.ts';
import { FileSource } from './file-source.ts';

const root = mkdtempSync(join(tmpdir(), 'riffle-connectors-job-'));
const input = join(root, 'in');
mkdirSync(input);
writeFileSync(join(input, 'a.csv'), 'id,amount\n1,10\n2,"2,5"\n3,30\n');
writeFileSync(join(input, 'b.csv'), 'id,amount\n4,40\n5\n6,60\n');
writeFileSync(join(input, 'c.csv'), 'id,amount\n7,70\n');
type Row = { id: string; amount: string };

test('CSV files at parallelism 2 into a file sink; a bad row goes to the dead-letter output', async () => {
  const out = join(root, 'out');
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  const rows = env
    .fromSource(FileSource.forCsv<Row>(input), undefined, 'orders')
    .onRecordError('dead-letter');
  rows
    .map((r) => ({ id: Number(r.id), amount: Number(r.amount.replace(',', '.')) }))
    .sinkTo(FileSink.forJsonLines(out, { rollover: { maxRecords: 2 } }));
  const deadLetters = new CollectSink<{ operator: string; record: unknown; error: { message: string } }>();
  rows.getSideOutput(DEAD_LETTER).sinkTo(deadLetters);
  await env.execute('files');
  const parts = readdirSync(out).sort();
  assert.ok(
    parts.every((p) => /^part-[01]-\d+\.jsonl$/.test(p)),
    `only final parts: ${parts.join(', ')}`,
  );
  const written = parts
    .flatMap((p) => readFileSync(join(out, p), 'utf8').trim().split('\n'))
    .map((line) => JSON.parse(line) as { id: number })
    .sort((x, y) => x.id - y.id);
  assert.equal(written, [
    { id: 1, amount: 10 },
    { id: 2, amount: 2.5 },
    { id: 3, amount: 30 },
    { id: 4, amount: 40 },
    { id: 6, amount: 60 },
    { id: 7, amount: 70 },
  ]);
  assert.is(deadLetters.values.length, 1);
  assert.is(deadLetters.values[0]!.record, '5');
  // The engine names the source and where the record came from in the dead letter's operator field.
  assert.is(deadLetters.values[0]!.operator, `Source: orders (${join(input, 'b.csv')}:3)`);
  assert.is(deadLetters.values[0]!.error.message, 'expected 2 fields (id, amount), got 1');
});

test('by default a bad line fails the job with the file and line named', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
  env.fromSource(FileSource.forCsv<Row>(join(input, 'b.csv')), undefined, 'orders').sinkTo(new CollectSink());
  try {
    await env.execute('files');
    assert.unreachable('the job should fail');
  } catch (e) {
    assert.match(String((e as Error).message), /b\.csv:3/);
  }
});

test('a rate-limited datagen on the system clock keeps its rate and its records', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  const sink = new CollectSink<number>();
  env
    .fromSource(new DataGeneratorSource((i) => i, { count: 40, recordsPerSecond: 400 }), undefined, 'gen')
    .sinkTo(sink);
  const started = performance.now();
  await env.execute('rate');
  const elapsed = performance.now() - started;
  assert.equal(
    [...sink.values].sort((a, b) => a - b),
    Array.from({ length: 40 }, (_, i) => i),
  );
  // 40 records at 400/s take 100 ms; allow for timer slack but not for an unlimited source.
  assert.ok(elapsed >= 80 && elapsed < 2_000, `took ${elapsed} ms`);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
