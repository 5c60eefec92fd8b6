import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PrintSink } from './print-sink.ts';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _e, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

test('prints "subtask> value" at parallelism > 1 and plain lines at 1', async () => {
  const a = capture();
  const w = await new PrintSink<{ x: number }>({ stream: a.stream }).createWriter({
    subtaskIndex: 1,
    parallelism: 2,
    operatorName: 'p',
  });
  w.write({ x: 1 }, 0);
  await w.flush(false);
  assert.is(a.text(), '2> {"x":1}\n');
  const b = capture();
  const w1 = await new PrintSink<string>({ stream: b.stream, prefix: 'alerts' }).createWriter({
    subtaskIndex: 0,
    parallelism: 1,
    operatorName: 'p',
  });
  w1.write('hello', 0);
  await w1.close();
  assert.is(b.text(), 'alerts> hello\n');
});

test.run();
