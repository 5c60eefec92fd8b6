import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Buffer as StreamBuffer } from '../execution/buffer.ts';
import { NetworkEnvironment } from './network-environment.ts';
import type { NetworkError } from './network-error.ts';
import type { NetworkInputChannel } from './network-input-channel.ts';
import type { NetworkOutputChannel } from './network-output-channel.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pair(options: { connectTimeoutMs?: number } = {}) {
  const errors: NetworkError[] = [];
  const producer = await NetworkEnvironment.start({
    host: '127.0.0.1',
    ...options,
    onError: (e) => errors.push(e as NetworkError),
  });
  const consumer = await NetworkEnvironment.start({
    host: '127.0.0.1',
    ...options,
    onError: (e) => errors.push(e as NetworkError),
  });
  return { producer, consumer, errors, close: () => Promise.all([producer.close(), consumer.close()]) };
}

function batch(from: number, n: number): StreamBuffer {
  const values = Array.from({ length: n }, (_, i) => ({ id: from + i, account: `a${(from + i) % 7}` }));
  return { kind: 'records', values, timestamps: values.map((v) => v.id), keys: undefined };
}

/** Pushes while the channel has capacity, waiting for onWritable otherwise. */
async function produce(
  out: NetworkOutputChannel,
  wake: { next: () => Promise<void> },
  buffers: StreamBuffer[],
) {
  for (const b of buffers) {
    while (!out.hasCapacity()) await wake.next();
    out.push(b);
  }
}

function waker() {
  let resolve: (() => void) | undefined;
  return {
    wake: () => resolve?.(),
    next: () => new Promise<void>((r) => (resolve = r)),
  };
}

/** Polls everything until `end`, waiting on onData. */
async function consume(
  input: NetworkInputChannel,
  data: { next: () => Promise<void> },
): Promise<StreamBuffer[]> {
  const got: StreamBuffer[] = [];
  for (;;) {
    const b = input.poll();
    if (b === undefined) {
      await data.next();
      continue;
    }
    got.push(b);
    if (b.kind === 'end') return got;
  }
}

function ids(buffers: StreamBuffer[]): number[] {
  return buffers.flatMap((b) => (b.kind === 'records' ? b.values.map((v) => (v as { id: number }).id) : []));
}

test('records and events arrive in order across many buffers; the input channel is created late', async () => {
  const { producer, consumer, errors, close } = await pair();
  try {
    const w = waker();
    const out = producer.createOutputChannel({
      channelId: 'e1:0->0',
      remote: consumer.address,
      capacity: 4,
      onWritable: w.wake,
    });
    await producer.connect();
    await sleep(20); // the HELLO arrives before the consumer channel exists
    const d = waker();
    const input = consumer.createInputChannel({ channelId: 'e1:0->0', credits: 4, onData: d.wake });
    const sent: StreamBuffer[] = [];
    for (let i = 0; i < 300; i++) {
      sent.push(batch(i * 10, 10));
      if (i % 50 === 0) sent.push({ kind: 'watermark', watermark: i * 10 });
    }
    sent.push({ kind: 'status', idle: true }, { kind: 'end' });
    const [got] = await Promise.all([consume(input, d), produce(out, w, sent)]);
    assert.is(got.length, sent.length);
    assert.equal(
      ids(got),
      Array.from({ length: 3000 }, (_, i) => i),
    );
    assert.equal(
      got.filter((b) => b.kind !== 'records'),
      sent.filter((b) => b.kind !== 'records'),
    );
    assert.equal(errors, []);
    const s = producer.stats().outputs['e1:0->0']!;
    assert.is(s.buffersOut, sent.length);
    assert.is(consumer.stats().inputs['e1:0->0']!.buffersIn, sent.length);
  } finally {
    await close();
  }
});

test('credit exhaustion stops the sender until the consumer polls', async () => {
  const { producer, consumer, close } = await pair();
  try {
    let writable = 0;
    let data = 0;
    const input = consumer.createInputChannel({ channelId: 'c', credits: 2, onData: () => data++ });
    const out = producer.createOutputChannel({
      channelId: 'c',
      remote: consumer.address,
      capacity: 3,
      onWritable: () => writable++,
    });
    await producer.connect();
    let pushed = 0;
    for (let i = 0; i < 20 && out.hasCapacity(); i++) {
      out.push(batch(i, 1));
      pushed++;
      await sleep(5);
    }
    await sleep(50);
    assert.is(pushed, 5, '2 buffers against credit + 3 queued');
    assert.not.ok(out.hasCapacity());
    assert.is(input.size, 2);
    assert.is(data, 2);
    assert.is(out.snapshotStats().credit, 0);
    assert.ok(input.poll());
    await sleep(50);
    assert.is(writable, 1);
    assert.ok(out.hasCapacity());
    assert.is(input.size, 2, 'the returned credit let one more buffer through');
    assert.ok(producer.stats().outputs.c!.backpressuredMs > 0);
  } finally {
    await close();
  }
});

test('a slow consumer keeps the producer bounded while 200k records go through', async () => {
  const { producer, consumer, errors, close } = await pair();
  try {
    const capacity = 4;
    const credits = 4;
    const w = waker();
    const input = consumer.createInputChannel({ channelId: 'slow', credits });
    const out = producer.createOutputChannel({
      channelId: 'slow',
      remote: consumer.address,
      capacity,
      onWritable: w.wake,
    });
    await producer.connect();
    const heapBefore = process.memoryUsage().heapUsed;
    let pushed = 0;
    let polled = 0;
    let maxOutstanding = 0;
    let maxHeap = 0;
    const producing = (async () => {
      for (let i = 0; i < 400; i++) {
        while (!out.hasCapacity()) await w.next();
        out.push(batch(i * 500, 500));
        pushed++;
        maxOutstanding = Math.max(maxOutstanding, pushed - polled);
      }
      out.push({ kind: 'end' });
    })();
    let records = 0;
    for (let tick = 0; ; tick++) {
      const b = input.poll();
      if (b === undefined) {
        await sleep(tick < 100 ? 2 : 0); // slow at first, then as fast as it can
        continue;
      }
      polled++;
      maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
      if (b.kind === 'end') break;
      if (b.kind === 'records') records += b.values.length;
    }
    await producing;
    assert.is(records, 200_000);
    assert.ok(maxOutstanding <= capacity + credits, `${maxOutstanding} buffers between push and poll`);
    assert.ok(out.queued <= capacity);
    assert.ok(maxHeap - heapBefore < 64 * 1024 * 1024, `heap grew ${(maxHeap - heapBefore) >> 20} MiB`);
    assert.equal(errors, []);
  } finally {
    await close();
  }
});

test('many channels share one connection, each in order', async () => {
  const { producer, consumer, errors, close } = await pair();
  try {
    const n = 40;
    const inputs = Array.from({ length: n }, (_, i) =>
      consumer.createInputChannel({ channelId: `m:${i}`, credits: 2 }),
    );
    const outs = Array.from({ length: n }, (_, i) =>
      producer.createOutputChannel({ channelId: `m:${i}`, remote: consumer.address, capacity: 100 }),
    );
    await producer.connect();
    for (let k = 0; k < 20; k++) for (let i = 0; i < n; i++) outs[i]!.push(batch(i * 1000 + k * 3, 3));
    for (const o of outs) o.push({ kind: 'end' });
    const got = inputs.map(() => [] as StreamBuffer[]);
    let ended = 0;
    while (ended < n) {
      await sleep(1);
      for (let i = 0; i < n; i++) {
        for (let b = inputs[i]!.poll(); b !== undefined; b = inputs[i]!.poll()) {
          got[i]!.push(b);
          if (b.kind === 'end') ended++;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      assert.equal(
        ids(got[i]!),
        Array.from({ length: 60 }, (_, j) => i * 1000 + j),
      );
    }
    const remotes = new Set(Object.values(producer.stats().outputs).map((s) => s.remote));
    assert.is(remotes.size, 1);
    assert.equal(errors, []);
  } finally {
    await close();
  }
});

test('losing the connection is reported on both ends, naming the address and channel', async () => {
  const { producer, consumer, errors, close } = await pair();
  try {
    const input = consumer.createInputChannel({ channelId: 'lost:0', credits: 2 });
    const out = producer.createOutputChannel({ channelId: 'lost:0', remote: consumer.address, capacity: 2 });
    await producer.connect();
    out.push(batch(0, 1));
    await sleep(20);
    assert.ok(input.poll());
    await consumer.close(); // the consuming worker dies
    out.push(batch(1, 1));
    await sleep(50);
    const e = errors.find((x) => x.channelIds.includes('lost:0'));
    assert.ok(e, 'producer reported');
    assert.match(e!.message, `data connection to ${consumer.address.host}:${consumer.address.port} lost`);
    assert.match(e!.message, 'lost:0');
  } finally {
    await close();
  }
});

test('a producer that dies mid-stream fails the consumer', async () => {
  const { producer, consumer, errors, close } = await pair();
  try {
    consumer.createInputChannel({ channelId: 'p:0', credits: 2 });
    producer
      .createOutputChannel({ channelId: 'p:0', remote: consumer.address, capacity: 2 })
      .push(batch(0, 1));
    await producer.connect();
    await sleep(20);
    await producer.close();
    await sleep(50);
    assert.is(errors.length, 1);
    assert.match(errors[0]!.message, `data connection from 127.0.0.1:${producer.address.port} lost`);
    assert.equal(errors[0]!.channelIds, ['p:0']);
  } finally {
    await close();
  }
});

test('a finished channel closing its connection is not an error', async () => {
  const { producer, consumer, errors, close } = await pair();
  try {
    const input = consumer.createInputChannel({ channelId: 'f:0', credits: 2 });
    const out = producer.createOutputChannel({ channelId: 'f:0', remote: consumer.address, capacity: 2 });
    await producer.connect();
    out.push(batch(0, 1));
    out.push({ kind: 'end' });
    await producer.drain('f:');
    producer.releaseChannels('f:');
    await sleep(30);
    await producer.close();
    await sleep(30);
    assert.is(input.poll()?.kind, 'records');
    assert.is(input.poll()?.kind, 'end');
    assert.equal(errors, []);
  } finally {
    await close();
  }
});

test('a consumer that releases its channel stops the producer queue from filling', async () => {
  const { producer, consumer, errors, close } = await pair();
  try {
    consumer.createInputChannel({ channelId: 'r:0', credits: 1 });
    const out = producer.createOutputChannel({ channelId: 'r:0', remote: consumer.address, capacity: 2 });
    await producer.connect();
    out.push(batch(0, 1));
    out.push(batch(1, 1));
    out.push(batch(2, 1));
    consumer.releaseChannels('r:');
    await sleep(50);
    assert.ok(out.released);
    assert.ok(out.hasCapacity());
    assert.equal(errors, []);
  } finally {
    await close();
  }
});

test('a channel created after the connection is up shares it and still flows', async () => {
  const { producer, consumer, errors, close } = await pair();
  try {
    const first = producer.createOutputChannel({
      channelId: 'late:0',
      remote: consumer.address,
      capacity: 2,
    });
    await producer.connect();
    const input0 = consumer.createInputChannel({ channelId: 'late:0', credits: 2 });
    first.push(batch(0, 2));
    await sleep(20);
    const second = producer.createOutputChannel({
      channelId: 'late:1',
      remote: consumer.address,
      capacity: 2,
    });
    second.push(batch(10, 2));
    second.push({ kind: 'end' });
    await producer.connect();
    const input1 = consumer.createInputChannel({ channelId: 'late:1', credits: 2 });
    await sleep(30);
    assert.equal(ids([input0.poll()!]), [0, 1]);
    assert.equal(ids([input1.poll()!]), [10, 11]);
    assert.is(input1.poll()?.kind, 'end');
    const remotes = Object.values(producer.stats().outputs).map((o) => o.remote);
    assert.equal(remotes, [`127.0.0.1:${consumer.address.port}`, `127.0.0.1:${consumer.address.port}`]);
    assert.equal(errors, []);
  } finally {
    await close();
  }
});

test('a producer that releases its channel before the end fails the consumer', async () => {
  const { producer, consumer, errors, close } = await pair();
  try {
    consumer.createInputChannel({ channelId: 'cancel:0', credits: 2 });
    producer
      .createOutputChannel({ channelId: 'cancel:0', remote: consumer.address, capacity: 2 })
      .push(batch(0, 1));
    await producer.connect();
    await sleep(20);
    producer.releaseChannels('cancel:');
    await sleep(30);
    assert.is(errors.length, 1);
    assert.match(errors[0]!.message, 'released channel cancel:0 before its end');
  } finally {
    await close();
  }
});

test('a second producer on the same channel id is an error naming it', async () => {
  const { producer, consumer, errors, close } = await pair();
  const other = await NetworkEnvironment.start({ host: '127.0.0.1' });
  try {
    producer.createOutputChannel({ channelId: 'dup:0', remote: consumer.address, capacity: 1 });
    other.createOutputChannel({ channelId: 'dup:0', remote: consumer.address, capacity: 1 });
    await Promise.all([producer.connect(), other.connect()]);
    await sleep(30);
    assert.is(errors.length, 1);
    assert.match(errors[0]!.message, 'a second producer');
    assert.match(errors[0]!.message, 'dup:0');
  } finally {
    await Promise.all([close(), other.close()]);
  }
});

test('connect retries until the remote listens, and names the address when it never does', async () => {
  const probe = await NetworkEnvironment.start({ host: '127.0.0.1' });
  const port = probe.address.port;
  await probe.close();
  const producer = await NetworkEnvironment.start({ host: '127.0.0.1', connectTimeoutMs: 300 });
  try {
    producer.createOutputChannel({ channelId: 'x:0', remote: { host: '127.0.0.1', port }, capacity: 1 });
    const started = performance.now();
    const err = await producer.connect().then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err, 'connect rejected');
    assert.match(err!.message, `127.0.0.1:${port} within 300 ms`);
    assert.match(err!.message, 'x:0');
    assert.ok(performance.now() - started >= 150);

    const late = await NetworkEnvironment.start({ host: '127.0.0.1', port: 0 });
    try {
      const laterPort = late.address.port;
      await late.close();
      producer.createOutputChannel({
        channelId: 'y:0',
        remote: { host: '127.0.0.1', port: laterPort },
        capacity: 1,
      });
      const connecting = producer.connect();
      await sleep(60);
      const revived = await NetworkEnvironment.start({ host: '127.0.0.1', port: laterPort });
      try {
        revived.createInputChannel({ channelId: 'y:0', credits: 1 });
        await connecting;
      } finally {
        await revived.close();
      }
    } finally {
      await late.close();
    }
  } finally {
    await producer.close();
  }
});

test.run();
