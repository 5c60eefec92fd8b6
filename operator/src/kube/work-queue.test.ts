import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runWorkers, WorkQueue } from './work-queue.ts';

const wq = suite('work queue');

wq('adding a queued key is a no-op (coalescing)', async () => {
  const q = new WorkQueue();
  q.add('a');
  q.add('b');
  q.add('a');
  assert.is(q.length, 2);
  assert.is(await q.get(), 'a');
  assert.is(await q.get(), 'b');
});

wq('a key added while processed is queued once more, after done, never concurrently', async () => {
  const q = new WorkQueue();
  q.add('a');
  const key = (await q.get())!;
  q.add('a');
  q.add('a');
  assert.is(q.length, 0, 'not handed to another worker while processing');
  q.done(key);
  assert.is(q.length, 1);
});

wq('one worker per key: with 4 workers a hot key never runs twice at once', async () => {
  const q = new WorkQueue();
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  const workers = runWorkers(q, 4, async () => {
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise((r) => setTimeout(r, 5));
    active--;
    runs++;
  });
  for (let i = 0; i < 20; i++) {
    q.add('hot');
    await new Promise((r) => setTimeout(r, 1));
  }
  await new Promise((r) => setTimeout(r, 40));
  q.shutdown();
  await workers;
  assert.is(maxActive, 1);
  assert.ok(runs >= 2 && runs <= 20, `${runs} runs for 20 adds`);
});

wq('addAfter keeps the earliest time; rate limiting doubles per failure and forget resets', async () => {
  const q = new WorkQueue({ baseDelayMs: 10 });
  q.addAfter('a', 10_000);
  q.addAfter('a', 10);
  const deadline = Date.now() + 5000;
  while (q.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.is(q.length, 1, 'the earlier time wins (not 10 s)');
  assert.equal([q.addRateLimited('b'), q.addRateLimited('b'), q.addRateLimited('b')], [10, 20, 40]);
  q.forget('b');
  assert.is(q.addRateLimited('b'), 10);
  q.shutdown();
});

wq.run();
