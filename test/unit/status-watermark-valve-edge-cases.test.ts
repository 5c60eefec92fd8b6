// More StatusWatermarkValve tables (three channels, idle/active churn, ended channels), worked out by hand.
// Each step: [kind, channel, value, what the valve emits].
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StatusWatermarkValve } from '../../runtime/src/execution/status-watermark-valve.ts';

type Out = { watermark?: number; idle?: boolean };
type Step = ['wm', number, number, Out] | ['idle' | 'active', number, null, Out] | ['end', number, null, Out];

const scenarios: { name: string; channels: number; steps: Step[] }[] = [
  {
    name: 'three channels: nothing until every channel has a watermark, then the minimum',
    channels: 3,
    steps: [
      ['wm', 0, 30, {}],
      ['wm', 1, 10, {}],
      ['wm', 2, 20, { watermark: 10 }], // min(30,10,20)
      ['wm', 1, 25, { watermark: 20 }], // min(30,25,20)
      ['wm', 2, 40, { watermark: 25 }],
      ['wm', 1, 24, {}], // a channel's watermark never goes back
    ],
  },
  {
    name: 'idle channels drop out one by one; all idle releases the highest watermark and goes idle',
    channels: 3,
    steps: [
      ['wm', 0, 5, {}],
      ['wm', 1, 10, {}],
      ['wm', 2, 20, { watermark: 5 }],
      ['idle', 0, null, { watermark: 10 }], // min over 1 and 2
      ['idle', 1, null, { watermark: 20 }], // only 2 left
      ['idle', 2, null, { idle: true }], // all idle: max is 20, already emitted
      ['wm', 0, 7, { idle: false }], // back, but 7 < 20: not aligned, no watermark
      ['wm', 0, 21, { watermark: 21 }], // aligned again; the only active channel
    ],
  },
  {
    name: 'an idle channel that becomes active through a status must catch up before it counts',
    channels: 2,
    steps: [
      ['wm', 0, 100, {}],
      ['idle', 1, null, { watermark: 100 }],
      ['active', 1, null, {}], // its watermark is still -inf: not aligned, holds nothing back
      ['wm', 0, 110, { watermark: 110 }],
      ['wm', 1, 105, {}], // below 110: still not aligned
      ['wm', 1, 120, {}], // aligned; min(110, 120) = 110 already emitted
      ['wm', 0, 130, { watermark: 120 }],
    ],
  },
  {
    name: 'ended channels: the others carry on; repeated statuses change nothing',
    channels: 3,
    steps: [
      ['wm', 0, 10, {}],
      ['wm', 1, 20, {}],
      ['wm', 2, 30, { watermark: 10 }],
      ['end', 0, null, { watermark: 20 }],
      ['idle', 1, null, { watermark: 30 }],
      ['idle', 1, null, {}],
      ['wm', 0, 500, {}], // after its end a channel is ignored
      ['end', 2, null, {}], // 1 idle, 0 and 2 ended: nothing active, no new watermark
      ['wm', 1, 40, { watermark: 40 }], // 1 active again and the only live channel
    ],
  },
  {
    name: 'all idle with a higher watermark on an idle channel releases it',
    channels: 2,
    steps: [
      ['wm', 0, 50, {}],
      ['wm', 1, 10, { watermark: 10 }],
      ['idle', 0, null, {}], // 1 alone: min is 10, unchanged
      ['idle', 1, null, { watermark: 50, idle: true }], // everyone idle: release max 50
    ],
  },
];

for (const s of scenarios) {
  test(s.name, () => {
    const valve = new StatusWatermarkValve(s.channels);
    s.steps.forEach(([kind, ch, v, expected], i) => {
      const out =
        kind === 'wm'
          ? valve.inputWatermark(ch, v as number)
          : kind === 'end'
            ? valve.inputEnded(ch)
            : valve.inputStatus(ch, kind === 'idle');
      const got: Out = {};
      if (out.watermark !== undefined) got.watermark = out.watermark;
      if (out.idle !== undefined) got.idle = out.idle;
      assert.equal(got, expected, `step ${i + 1}: ${kind} ${ch} ${v ?? ''}`);
    });
  });
}

test.run();
