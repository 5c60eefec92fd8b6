// The sink operator's commit protocol: output sealed at a barrier is committed when its checkpoint (or a
// later one) completes, restored committables are committed on open, and output sealed for a checkpoint
// whose completion the task never hears of (it finished first) is committed when the input ends.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Sink } from '../api/sink.ts';
import { ManualProcessingTimeService } from '../time/processing-time-service.ts';
import { OperatorMetrics } from './operator-metrics.ts';
import type { Output } from './output.ts';
import { SinkOperator } from './sink-operator.ts';

/** A two-phase sink whose parts are the records written since the last seal. */
function twoPhaseSink(committed: string[][]): Sink<string> {
  return {
    createWriter() {
      let part: string[] = [];
      return {
        write(v: string) {
          part.push(v);
        },
        flush(endOfInput: boolean) {
          if (endOfInput && part.length > 0) committed.push(part.splice(0));
        },
        close() {},
        prepareCommit() {
          const sealed = part;
          part = [];
          return sealed;
        },
        commit(c: unknown) {
          committed.push(c as string[]);
        },
      };
    },
  };
}

async function sinkOperator(committed: string[][], restore?: unknown[]): Promise<SinkOperator<string>> {
  const op = new SinkOperator(twoPhaseSink(committed));
  const output: Output<never> = {
    collect() {},
    collectSide() {},
    emitWatermark() {},
    emitWatermarkStatus() {},
    endOfInput() {},
  };
  op.setup(
    {
      name: 'sink',
      uid: 'sink',
      subtaskIndex: 0,
      parallelism: 1,
      maxParallelism: 128,
      clock: new ManualProcessingTimeService(),
      keyedBackend: undefined,
      metrics: new OperatorMetrics(),
      recordErrors: 'fail',
      autoWatermarkInterval: 0,
    },
    output,
  );
  op.initializeState(restore === undefined ? undefined : { keyGroups: [], operatorState: restore });
  await op.open();
  return op;
}

test('a checkpoint commits what was sealed at its barrier and at earlier ones, not before it completes', async () => {
  const committed: string[][] = [];
  const op = await sinkOperator(committed);
  op.processElement('a', 0);
  await op.snapshotState(1);
  op.processElement('b', 0);
  await op.snapshotState(2);
  op.processElement('c', 0);
  assert.equal(committed, [], 'nothing visible before a checkpoint completes');
  await op.notifyCheckpointComplete(2);
  assert.equal(
    committed,
    [['a'], ['b']],
    'checkpoint 2 also commits checkpoint 1, whose notification was lost',
  );
});

test('output sealed for a checkpoint that never reports completion is committed when the input ends', async () => {
  const committed: string[][] = [];
  const op = await sinkOperator(committed);
  op.processElement('a', 0);
  await op.snapshotState(7);
  op.processElement('b', 0);
  await op.finish();
  assert.equal(committed, [['b'], ['a']]);
});

test('committables restored from a checkpoint are committed when the sink opens', async () => {
  const committed: string[][] = [];
  const first = await sinkOperator([]);
  first.processElement('x', 0);
  const snapshot = await first.snapshotState(3);
  await sinkOperator(committed, snapshot.operatorState);
  assert.equal(committed, [['x']]);
});

test.run();
