// On a restore, a source may deal its checkpointed splits itself (Source.assignSplits, like Flink's split
// enumerator choosing owners); otherwise they are dealt round-robin. Every subtask learns the checkpoint id.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LoadedCheckpoint } from '../../runtime/src/checkpoint/checkpoint-loader.ts';
import { assignState } from '../../runtime/src/checkpoint/state-assignment.ts';
import { encodeOperatorSnapshot } from '../../runtime/src/checkpoint/task-snapshot.ts';

const splits = [
  [{ p: 0 }, { p: 2 }],
  [{ p: 1 }, { p: 3 }, { p: 4 }],
];

function checkpoint(): LoadedCheckpoint {
  return {
    path: 'chk-7',
    metadata: {
      version: 2,
      jobId: 'j',
      checkpointId: 7,
      timestamp: 0,
      savepoint: false,
      operators: { src: { parallelism: 2, maxParallelism: 128, subtasks: [] } },
    },
    states: new Map([
      [
        'src',
        splits.map((list, subtask) =>
          encodeOperatorSnapshot({ uid: 'src', operatorState: list }, subtask, 2, 128),
        ),
      ],
    ]),
  };
}

test('without assignSplits: concatenated and dealt round-robin', () => {
  const r = assignState(
    checkpoint(),
    [{ uid: 'src', name: 'Source', parallelism: 3, maxParallelism: 128 }],
    false,
  );
  assert.equal(
    r.get('src')!.map((s) => s.operatorState),
    [[{ p: 0 }, { p: 3 }], [{ p: 2 }, { p: 4 }], [{ p: 1 }]],
  );
  assert.ok(r.get('src')!.every((s) => s.checkpointId === 7));
});

test("with assignSplits: the source's own dealing (here: partition modulo parallelism)", () => {
  const byPartition = (entries: unknown[], parallelism: number) =>
    Array.from({ length: parallelism }, (_, i) =>
      entries.filter((e) => (e as { p: number }).p % parallelism === i),
    );
  const r = assignState(
    checkpoint(),
    [{ uid: 'src', name: 'Source', parallelism: 3, maxParallelism: 128, assignListState: byPartition }],
    false,
  );
  assert.equal(
    r.get('src')!.map((s) => s.operatorState),
    [[{ p: 0 }, { p: 3 }], [{ p: 1 }, { p: 4 }], [{ p: 2 }]],
  );
});

test('a dealing that loses or duplicates entries is refused', () => {
  assert.throws(
    () =>
      assignState(
        checkpoint(),
        [
          {
            uid: 'src',
            name: 'Source',
            parallelism: 2,
            maxParallelism: 128,
            assignListState: (e) => [e, []].slice(0, 1),
          },
        ],
        false,
      ),
    /dealt its 5 restored list entries into 1 lists for parallelism 2/,
  );
});

test.run();
