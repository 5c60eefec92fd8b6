import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PrintSink } from './print-sink.ts';

/** A stream that records each write; with `hold`, it keeps write callbacks until release() (a slow reader). */
function capture(options: { highWaterMark?: number; hold?: boolean } = {}) {
  const chunks: string[] = [];
  const held: (() => void)[] = [];
  let hold = options.hold ?? false;
  const stream = new Writable({
    highWaterMark: options.highWaterMark ?? 16 * 1024,
    write(chunk, _e, done) {
      chunks.push(String(chunk));
      if (hold) held.push(() => done());
      else done();
    },
  });
  return {
    stream,
    chunks,
    text: () => chunks.join(''),
    release: () => {
      hold = false;
      for (const done of held.splice(0)) done();
    },
  };
}

const ctx = (subtaskIndex: number, parallelism: number) => ({ subtaskIndex, parallelism, operatorName: 'p' });

test('line prefixes as Flink prints them', async () => {
  const cases: [string | undefined, number, number, string][] = [
    [undefined, 1, 2, '2> '],
    [undefined, 0, 1, ''],
    ['alerts', 0, 1, 'alerts> '],
    ['alerts', 2, 3, 'alerts:3> '],
  ];
  for (const [prefix, subtask, parallelism, tag] of cases) {
    const out = capture();
    const writer = new PrintSink<{ x: number }>({
      stream: out.stream,
      ...(prefix ? { prefix } : {}),
    }).createWriter(ctx(subtask, parallelism));
    writer.write({ x: 1 });
    await writer.flush();
    assert.is(out.text(), `${tag}{"x":1}\n`);
  }
});

test('default and custom formats', async () => {
  const out = capture();
  const writer = new PrintSink<unknown>({ stream: out.stream }).createWriter(ctx(0, 1));
  for (const v of ['plain text', 42, { big: 10n }, null, undefined]) writer.write(v);
  await writer.close();
  assert.is(out.text(), 'plain text\n42\n{"big":"10n"}\nnull\nundefined\n');
  const custom = capture();
  const w = new PrintSink<number>({ stream: custom.stream, format: (n) => `n=${n}` }).createWriter(ctx(0, 1));
  w.write(7);
  await w.close();
  assert.is(custom.text(), 'n=7\n');
});

test('lines of one event-loop turn go out as one write', async () => {
  const out = capture();
  const writer = new PrintSink<number>({ stream: out.stream }).createWriter(ctx(0, 1));
  for (let i = 0; i < 3; i++) assert.is(writer.write(i), undefined);
  assert.equal(out.chunks, []);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(out.chunks, ['0\n1\n2\n']);
});

test('backpressure: write returns a promise only while the stream is full; it resolves on drain', async () => {
  const out = capture({ highWaterMark: 64, hold: true });
  const line = 'x'.repeat(99); // 100 characters with the newline
  const writer = new PrintSink<string>({ stream: out.stream, format: () => line }).createWriter(ctx(0, 1));
  const first = Array.from({ length: 163 }, () => writer.write(''));
  assert.ok(
    first.every((r) => r === undefined),
    'under 16 KiB batched, nothing written yet',
  );
  const full = writer.write(''); // the 164th line passes 16 KiB: one write, over the stream's 64 bytes
  assert.instance(full, Promise);
  assert.is(out.chunks.length, 1);
  assert.is(writer.write(''), full, 'every writer waits on the same drain');
  let drained = false;
  void full!.then(() => {
    drained = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.is(drained, false);
  out.release();
  await full;
  await writer.close();
  assert.is(out.text(), `${line}\n`.repeat(165));
});

test.run();
