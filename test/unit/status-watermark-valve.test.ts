// The task watermark is the minimum over active input channels (Flink's StatusWatermarkValve).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StatusWatermarkValve } from '../../runtime/src/execution/status-watermark-valve.ts';

type Step = [string, number, number | boolean | 'end', { watermark?: number; idle?: boolean }];

const scenarios: { name: string; channels: number; steps: Step[] }[] = [
  {
    name: 'minimum over channels, emitted only when it advances',
    channels: 2,
    steps: [
      ['wm', 0, 10, {}],
      ['wm', 1, 5, { watermark: 5 }],
      ['wm', 1, 20, { watermark: 10 }],
      ['wm', 0, 15, { watermark: 15 }],
      ['wm', 0, 12, {}],
    ],
  },
  {
    name: 'an idle channel stops holding the watermark back; all idle makes the task idle',
    channels: 2,
    steps: [
      ['wm', 0, 10, {}],
      ['status', 1, true, { watermark: 10 }],
      ['wm', 0, 30, { watermark: 30 }],
      ['status', 0, true, { idle: true }],
      ['wm', 0, 40, { idle: false, watermark: 40 }],
    ],
  },
  {
    name: 'a channel back from idle with an old watermark does not move it backwards',
    channels: 2,
    steps: [
      ['status', 1, true, {}],
      ['wm', 0, 50, { watermark: 50 }],
      ['status', 1, false, {}],
      ['wm', 1, 20, {}],
      ['wm', 0, 60, { watermark: 60 }],
      ['wm', 1, 55, {}],
      ['wm', 1, 70, {}], // aligned again (70 >= 60), but the minimum is still 60
      ['wm', 0, 80, { watermark: 70 }], // now channel 1 holds it back
    ],
  },
  {
    name: 'an ended channel no longer holds the watermark back',
    channels: 2,
    steps: [
      ['wm', 0, 100, {}],
      ['wm', 1, 10, { watermark: 10 }],
      ['end', 1, 'end', { watermark: 100 }],
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
          : kind === 'status'
            ? valve.inputStatus(ch, v as boolean)
            : valve.inputEnded(ch);
      const got: { watermark?: number; idle?: boolean } = {};
      if (out.watermark !== undefined) got.watermark = out.watermark;
      if (out.idle !== undefined) got.idle = out.idle;
      assert.equal(got, expected, `step ${i + 1}: ${kind} ${ch} ${String(v)}`);
    });
  });
}

test.run();
