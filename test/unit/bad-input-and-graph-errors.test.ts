// Bad records and invalid use of the API fail with messages that name the operator, the record or the
// setting, and say how to fix it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CollectSink,
  DEAD_LETTER,
  type DeadLetter,
  InvalidJobGraphError,
  RecordProcessingError,
  StreamExecutionEnvironment,
} from '../../runtime/src/index.ts';

type Tx = { id: number; amount: string };
const input: Tx[] = [
  { id: 1, amount: '10' },
  { id: 2, amount: 'ten' },
  { id: 3, amount: '30' },
];

function parseAmount(tx: Tx): number {
  const n = Number(tx.amount);
  if (Number.isNaN(n)) throw new Error(`amount "${tx.amount}" is not a number`);
  return n;
}

test('by default a throwing user function fails the job naming the operator, the record and the cause', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromCollection(input).map(parseAmount).name('Parse amount').sinkTo(new CollectSink());
  try {
    await env.execute();
    assert.unreachable('the job should fail');
  } catch (e) {
    assert.instance(e, RecordProcessingError);
    const msg = (e as Error).message;
    assert.match(msg, 'operator "Parse amount"');
    assert.match(msg, '{"id":2,"amount":"ten"}');
    assert.match(msg, 'amount "ten" is not a number');
    assert.match(msg, "onRecordError('dead-letter')");
  }
});

test('with the dead-letter policy the record and its error go to DEAD_LETTER and the job finishes', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const ok = new CollectSink<number>();
  const dead = new CollectSink<DeadLetter>();
  const parsed = env.fromCollection(input).map(parseAmount).name('Parse amount').onRecordError('dead-letter');
  parsed.sinkTo(ok);
  parsed.getSideOutput(DEAD_LETTER).sinkTo(dead);
  await env.execute();
  assert.equal(ok.values, [10, 30]);
  assert.is(dead.values.length, 1);
  assert.equal(dead.values[0]!.record, { id: 2, amount: 'ten' });
  assert.is(dead.values[0]!.operator, 'Parse amount');
  assert.is(dead.values[0]!.error.message, 'amount "ten" is not a number');
});

test('a dead-letter policy whose output nobody reads is refused: nothing may be lost silently', () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromCollection(input)
    .map(parseAmount)
    .name('Parse amount')
    .onRecordError('dead-letter')
    .sinkTo(new CollectSink());
  assert.throws(
    () => env.getJobGraph(),
    (e: Error) => e instanceof InvalidJobGraphError && /getSideOutput\(DEAD_LETTER\)/.test(e.message),
  );
});

test('a key selector returning an object fails with advice to return a tuple', async () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env
    .fromCollection(input)
    .keyBy((t) => ({ id: t.id }) as unknown as number)
    .reduce((a) => a)
    .sinkTo(new CollectSink());
  await env.execute().then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, /return a tuple of its fields/),
  );
});

test('a job without a sink is refused', () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.fromCollection(input).map((t) => t.id);
  assert.throws(() => env.getJobGraph('no-sink'), /has no sink.*sinkTo/);
});

test('parallelism above maxParallelism is refused, saying what to change', () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ maxParallelism: 8 });
  assert.throws(
    () =>
      env
        .fromCollection(input)
        .map((t) => t.id)
        .setParallelism(9),
    /parallelism must be an integer in \[1, maxParallelism=8\].*raise maxParallelism/,
  );
  assert.throws(
    () => StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 200 }),
    /maxParallelism=128/,
  );
});

test('duplicate uids are refused', () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  const s = env.fromCollection(input);
  s.map((t) => t.id)
    .uid('same')
    .sinkTo(new CollectSink());
  s.map((t) => t.amount)
    .uid('same')
    .sinkTo(new CollectSink());
  assert.throws(() => env.getJobGraph(), /both have uid "same"/);
});

test('timers on a non-keyed stream are refused when the graph is built', () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  assert.throws(
    () => env.fromCollection(input).process({ processElement() {}, onTimer() {} } as never),
    /timers only exist on keyed streams; call keyBy/,
  );
});

test('forward partitioning between different parallelism is refused', () => {
  const env = StreamExecutionEnvironment.getExecutionEnvironment({ parallelism: 2 });
  env
    .fromCollection(input)
    .setParallelism(1)
    .forward()
    .map((t) => t.id)
    .sinkTo(new CollectSink());
  assert.throws(() => env.getJobGraph(), /forward partitioning .* needs equal parallelism/);
});

test.run();
