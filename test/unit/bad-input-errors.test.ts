// Bad records in more places than a map: parsers, key selectors, window aggregates, flatMaps, timers.
// By default the job fails with a RecordProcessingError naming operator, record and cause; with
// onRecordError('dead-letter') the record goes to DEAD_LETTER with the error and the job finishes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CollectSink,
  DEAD_LETTER,
  type DeadLetter,
  EventTimeSessionWindows,
  FileSource,
  type KeyedProcessFunction,
  RecordProcessingError,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
} from '../../runtime/src/index.ts';

const letter = (d: DeadLetter) => `${d.operator} | ${JSON.stringify(d.record)} | ${d.error.message}`;

async function failure(run: () => Promise<unknown>): Promise<RecordProcessingError> {
  try {
    await run();
  } catch (e) {
    assert.instance(e, RecordProcessingError);
    return e as RecordProcessingError;
  }
  throw new Error('the job should have failed');
}

function jsonLines(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-bad-input-'));
  const file = join(dir, 'in.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('a line that cannot be parsed fails the job naming the source, the line and the cause', async () => {
  const file = jsonLines(['{"n":1}', '{"n":', '{"n":3}']);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromSource(FileSource.forJsonLines<{ n: number }>(file), undefined, 'numbers')
    .sinkTo(new CollectSink());
  const e = await failure(() => env.execute());
  assert.match(e.message, 'Source: numbers');
  assert.match(e.message, 'in.jsonl:2'); // file and line number
  assert.match(e.message, 'record "{\\"n\\":"'); // the raw line, quoted as a JSON string
  assert.is(e.record, '{"n":');
  assert.match(e.message, 'SyntaxError'); // the parser's complaint
});

test('with dead-letter on the source, the bad line is a dead letter and the good lines go on', async () => {
  const file = jsonLines(['{"n":1}', '{"n":', '{"n":3}']);
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const ok = new CollectSink<{ n: number }>();
  const dead = new CollectSink<DeadLetter>();
  const src = env.fromSource(FileSource.forJsonLines<{ n: number }>(file), undefined, 'numbers');
  src.onRecordError('dead-letter');
  src.sinkTo(ok);
  src.getSideOutput(DEAD_LETTER).sinkTo(dead);
  await env.execute();
  assert.equal(ok.values, [{ n: 1 }, { n: 3 }]);
  assert.is(dead.values.length, 1);
  assert.match(dead.values[0]!.operator, 'Source: numbers');
  assert.match(String(dead.values[0]!.record), '{"n":');
});

test('a throwing window reduce: the failing record is named; with dead-letter the window result skips it', async () => {
  const build = (env: StreamExecutionEnvironment) =>
    env
      .fromCollection([1, 2, 3], (x) => x)
      .keyBy(() => 'k')
      .window(TumblingEventTimeWindows.of(10))
      .reduce((a, b) => {
        if (b === 2) throw new Error('cannot add two');
        return a + b;
      })
      .name('Sum');
  const env1 = StreamExecutionEnvironment.getExecutionEnvironment();
  build(env1).sinkTo(new CollectSink());
  const e = await failure(() => env1.execute());
  assert.match(e.message, 'operator "Sum" failed on record 2: Error: cannot add two');

  const env2 = StreamExecutionEnvironment.getExecutionEnvironment();
  const ok = new CollectSink<number>();
  const dead = new CollectSink<DeadLetter>();
  const sum = build(env2).onRecordError('dead-letter');
  sum.sinkTo(ok);
  sum.getSideOutput(DEAD_LETTER).sinkTo(dead);
  await env2.execute();
  assert.equal(ok.values, [4], '1 + 3; 2 was refused');
  assert.equal(dead.values.map(letter), ['Sum | 2 | cannot add two']);
  assert.is(dead.values[0]!.timestamp, 2, 'the record keeps its event time');
});

test('a throwing session aggregate: the record goes to dead letters, the session still merges', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const ok = new CollectSink<number>();
  const dead = new CollectSink<DeadLetter>();
  const s = env
    .fromCollection([1, 5, 9, 30], (x) => x)
    .keyBy(() => 'k')
    .window(EventTimeSessionWindows.withGap(10))
    .aggregate({
      createAccumulator: () => 0,
      add: (v: number, a: number) => {
        if (v === 5) throw new Error('five');
        return a + v;
      },
      getResult: (a: number) => a,
      merge: (a: number, b: number) => a + b,
    })
    .name('Session sum')
    .onRecordError('dead-letter');
  s.sinkTo(ok);
  s.getSideOutput(DEAD_LETTER).sinkTo(dead);
  await env.execute();
  // sessions: 1, 5, 9 merge into [1,19) (5's window still bridges) with sum 1 + 9; 30 alone
  assert.equal(ok.values, [10, 30]);
  assert.equal(dead.values.map(letter), ['Session sum | 5 | five']);
});

test('an error in onTimer names the timer and key', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromCollection(['a'], () => 1)
    .keyBy((x) => x)
    .process({
      processElement(_v, ctx) {
        ctx.timerService().registerEventTimeTimer(5);
      },
      onTimer() {
        throw new Error('timer broke');
      },
    } as KeyedProcessFunction<string, string, string>)
    .name('Alarm')
    .sinkTo(new CollectSink());
  const e = await failure(() => env.execute());
  assert.match(e.message, 'operator "Alarm" failed on record {"timer":5,"key":"a"}: Error: timer broke');
});

test('a key selector that returns an object fails naming the keyed operator and the advice', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromElements({ id: 1 })
    .keyBy((o) => o as never)
    .reduce((a) => a)
    .name('Latest')
    .sinkTo(new CollectSink());
  const e = await failure(() => env.execute());
  assert.match(e.message, 'Latest');
  assert.match(e.message, '{"id":1}');
  assert.match(e.message, 'return a tuple of its fields');
});

test('a thrown non-Error is reported as its string; dead letters carry it as the message', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const dead = new CollectSink<DeadLetter>();
  const m = env
    .fromElements(1, 2)
    .map((x) => {
      if (x === 2) throw 'not a number'; // a string, not an Error, on purpose
      return x;
    })
    .name('Odd')
    .onRecordError('dead-letter');
  m.sinkTo(new CollectSink());
  m.getSideOutput(DEAD_LETTER).sinkTo(dead);
  await env.execute();
  assert.equal(dead.values.map(letter), ['Odd | 2 | not a number']);
});

test('a failure at parallelism 4 still names the operator and the record', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 4 });
  env
    .fromCollection([1, 2, 3, 4, 5, 6, 7, 8])
    .rebalance()
    .map((x) => {
      if (x === 6) throw new RangeError('six is out of range');
      return x;
    })
    .name('Check')
    .sinkTo(new CollectSink());
  const e = await failure(() => env.execute());
  assert.match(e.message, 'operator "Check" failed on record 6: RangeError: six is out of range');
  assert.is(e.operator, 'Check');
  assert.is(e.record, 6);
});

test.run();
