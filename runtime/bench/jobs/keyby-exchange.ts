// Benchmark job: datagen -> keyBy (1,000 keys) -> rolling count per key -> a sink that measures.
// Args: <result prefix> <count> [records per second]. Each record carries its creation time; the sink
// records end-to-end latency and writes `<prefix>.<subtask>.json` at the end of input.
import { writeFileSync } from 'node:fs';
import { DataGeneratorSource, type Sink, type StreamExecutionEnvironment } from '../../src/index.ts';

type Rec = { key: number; created: number };

class MeasuringSink implements Sink<[number, number, number]> {
  readonly #prefix: string;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  createWriter(ctx: { subtaskIndex: number }) {
    let count = 0;
    const latencies: number[] = [];
    const file = `${this.#prefix}.${ctx.subtaskIndex}.json`;
    return {
      write: (r: [number, number, number]) => {
        count++;
        if ((count & 15) === 0) latencies.push(Date.now() - r[2]);
      },
      flush: (end: boolean) => {
        if (!end) return;
        latencies.sort((a, b) => a - b);
        const at = (q: number) =>
          latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
        writeFileSync(
          file,
          JSON.stringify({ count, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? 0 }),
        );
      },
      close() {},
    };
  }
}

export default function keyByExchange(env: StreamExecutionEnvironment, args: string[]): void {
  const [prefix, count = '5000000', rate] = args;
  if (prefix === undefined) throw new Error('keyby-exchange: pass the result file prefix');
  env
    .fromSource(
      new DataGeneratorSource<Rec>((i) => ({ key: i % 1000, created: rate === undefined ? 0 : Date.now() }), {
        count: Number(count),
        ...(rate === undefined ? {} : { recordsPerSecond: Number(rate) }),
      }),
      undefined,
      'datagen',
    )
    .keyBy((r) => r.key)
    .aggregate({
      createAccumulator: () => [0, 0, 0] as [number, number, number],
      add: (r: Rec, acc: [number, number, number]): [number, number, number] => [
        r.key,
        acc[1] + 1,
        r.created,
      ],
      getResult: (acc) => acc,
      merge: (a, b): [number, number, number] => [a[0], a[1] + b[1], Math.max(a[2], b[2])],
    })
    .sinkTo(new MeasuringSink(prefix));
}
