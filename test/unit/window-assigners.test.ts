// Pure window assignment, as tables worked out by hand. A TimeWindow is [start, end): maxTimestamp = end - 1,
// so a timestamp equal to a window's end belongs to the next window.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GlobalWindows } from '../../runtime/src/windowing/global-windows.ts';
import { EventTimeSessionWindows, mergeTimeWindows } from '../../runtime/src/windowing/session-windows.ts';
import { SlidingEventTimeWindows } from '../../runtime/src/windowing/sliding-windows.ts';
import { TumblingEventTimeWindows } from '../../runtime/src/windowing/tumbling-windows.ts';
import { GlobalWindow, TimeWindow } from '../../runtime/src/windowing/window.ts';
import type { WindowAssigner } from '../../runtime/src/windowing/window-assigner.ts';

const ctx = { getCurrentProcessingTime: () => 0 };
const spans = (a: WindowAssigner<unknown, TimeWindow>, ts: number) =>
  a.assignWindows(null, ts, ctx).map((w) => [w.start, w.end]);

// [size, offset, timestamp, expected [start, end)]
const tumbling: [number, number, number, [number, number]][] = [
  [10, 0, 0, [0, 10]],
  [10, 0, 9, [0, 10]], // 9 = maxTimestamp of [0,10)
  [10, 0, 10, [10, 20]], // exactly the end of [0,10): next window
  [10, 0, -1, [-10, 0]], // negative time: floor, not truncation
  [10, 0, -10, [-10, 0]],
  [10, 3, 2, [-7, 3]], // windows start at 3 + 10k: 2 is in [-7,3)
  [10, 3, 3, [3, 13]],
  [10, -3, 6, [-3, 7]], // starts at -3 + 10k
  [60_000, 0, 59_999, [0, 60_000]],
  [60_000, 0, 60_000, [60_000, 120_000]],
];

for (const [size, offset, ts, expected] of tumbling) {
  test(`tumbling(${size}, offset ${offset}): ${ts} is in [${expected[0]}, ${expected[1]})`, () => {
    assert.equal(spans(TumblingEventTimeWindows.of(size, offset), ts), [expected]);
  });
}

test('TimeWindow.maxTimestamp is end - 1; the window of a fired element fires at its maxTimestamp', () => {
  assert.is(new TimeWindow(0, 10).maxTimestamp(), 9);
  assert.is(new TimeWindow(-10, 0).maxTimestamp(), -1);
  assert.is(GlobalWindows.create().assignWindows()[0], GlobalWindow.INSTANCE);
});

// Sliding windows: an element at t is in every window [s, s + size) with s = lastStart - k * slide > t - size.
// [size, slide, timestamp, expected windows newest first]
const sliding: [number, number, number, [number, number][]][] = [
  // size 10, slide 5: exactly size/slide = 2 windows per element
  [
    10,
    5,
    0,
    [
      [0, 10],
      [-5, 5],
    ],
  ],
  [
    10,
    5,
    4,
    [
      [0, 10],
      [-5, 5],
    ],
  ],
  [
    10,
    5,
    5,
    [
      [5, 15],
      [0, 10],
    ],
  ],
  [
    10,
    5,
    9,
    [
      [5, 15],
      [0, 10],
    ],
  ],
  // size 30, slide 10: 3 windows
  [
    30,
    10,
    25,
    [
      [20, 50],
      [10, 40],
      [0, 30],
    ],
  ],
  // slide larger than size leaves gaps (Flink allows it): 7 is in no window, 3 is in [0,5)
  [5, 10, 3, [[0, 5]]],
  [5, 10, 7, []],
];

for (const [size, slide, ts, expected] of sliding) {
  test(`sliding(${size}, ${slide}): ${ts} is in ${JSON.stringify(expected)}`, () => {
    // a fresh assigner per case, so nothing carries over from another timestamp
    assert.equal(spans(SlidingEventTimeWindows.of(size, slide), ts), expected);
  });
}

test('sliding windows with size a multiple of slide: the same assigner gives per-timestamp answers', () => {
  const a = SlidingEventTimeWindows.of(10, 5);
  // 5..9 share lastStart 5; with size = 2 * slide every one of them is in [5,15) and [0,10)
  for (const ts of [5, 9, 7, 6])
    assert.equal(
      spans(a, ts),
      [
        [5, 15],
        [0, 10],
      ],
      `ts ${ts}`,
    );
});

test('a session window is [ts, ts + gap)', () => {
  assert.equal(spans(EventTimeSessionWindows.withGap(10), 7), [[7, 17]]);
});

// mergeTimeWindows: windows that overlap or touch (Flink's intersects: start <= other.end) merge.
const merges: [string, [number, number][], [number, number][][]][] = [
  [
    'disjoint windows do not merge',
    [
      [0, 10],
      [20, 30],
    ],
    [],
  ],
  [
    'overlapping windows merge to their cover',
    [
      [0, 10],
      [5, 15],
    ],
    [
      [
        [0, 15],
        [0, 10],
        [5, 15],
      ],
    ],
  ],
  [
    'touching windows merge ([0,10) and [10,20) as in Flink)',
    [
      [10, 20],
      [0, 10],
    ],
    [
      [
        [0, 20],
        [0, 10],
        [10, 20],
      ],
    ],
  ],
  [
    'a bridge joins two groups; an unrelated window stays alone',
    [
      [0, 10],
      [15, 25],
      [8, 18],
      [100, 110],
    ],
    [
      [
        [0, 25],
        [0, 10],
        [8, 18],
        [15, 25],
      ],
    ],
  ],
  [
    'two separate groups merge separately',
    [
      [0, 10],
      [5, 12],
      [50, 60],
      [55, 65],
    ],
    [
      [
        [0, 12],
        [0, 10],
        [5, 12],
      ],
      [
        [50, 65],
        [50, 60],
        [55, 65],
      ],
    ],
  ],
];

for (const [name, input, expected] of merges) {
  test(`mergeTimeWindows: ${name}`, () => {
    const got: [number, number][][] = [];
    mergeTimeWindows(
      input.map(([s, e]) => TimeWindow.merging(s, e)),
      (members, cover) =>
        got.push([[cover.start, cover.end], ...members.map((w): [number, number] => [w.start, w.end])]),
    );
    assert.equal(got, expected);
  });
}

test.run();
