// Keyed timers, as Flink's InternalTimerService: event-time and processing-time timers per
// (key, namespace, timestamp), deduplicated, fired in timestamp order with the key set as current key.
// Timers are keyed state: they are snapshotted per key group and redistributed on rescale.
import { assignToKeyGroup } from '../state/key-group-range.ts';
import type { KeyValue } from '../state/key-hash.ts';
import { denormalizeKey, type NormalizedKey, normalizeKey } from '../state/key-normalizer.ts';
import type { Namespace } from '../state/state-table.ts';
import type { ProcessingTimeService, ScheduledCallback } from './processing-time-service.ts';
import { TimestampHeap } from './timestamp-heap.ts';

export type TimeDomain = 'event-time' | 'processing-time';

export interface Triggerable<N> {
  onEventTime(timestamp: number, namespace: N): void;
  onProcessingTime(timestamp: number, namespace: N): void;
}

/** The timers of one timestamp and namespace key: each key with its own namespace object. */
type Bucket<N> = Map<NormalizedKey, N>;

/** One domain's timers: timestamp → namespace → keys. */
class TimerQueue<N> {
  readonly byTime = new Map<number, Map<Namespace, Bucket<N>>>();
  readonly heap = new TimestampHeap();
  count = 0;

  add(timestamp: number, nsKey: Namespace, namespace: N, key: NormalizedKey): boolean {
    let byNs = this.byTime.get(timestamp);
    if (byNs === undefined) {
      byNs = new Map();
      this.byTime.set(timestamp, byNs);
      this.heap.push(timestamp);
    }
    let bucket = byNs.get(nsKey);
    if (bucket === undefined) {
      bucket = new Map();
      byNs.set(nsKey, bucket);
    }
    if (bucket.has(key)) return false;
    bucket.set(key, namespace);
    this.count++;
    return true;
  }

  remove(timestamp: number, nsKey: Namespace, key: NormalizedKey): void {
    const byNs = this.byTime.get(timestamp);
    const bucket = byNs?.get(nsKey);
    if (bucket === undefined || !bucket.delete(key)) return;
    this.count--;
    if (bucket.size === 0) byNs!.delete(nsKey);
    if (byNs!.size === 0) this.byTime.delete(timestamp);
  }

  /** The earliest timestamp that still has timers. */
  peek(): number | undefined {
    for (;;) {
      const ts = this.heap.peek();
      if (ts === undefined || this.byTime.has(ts)) return ts;
      this.heap.pop();
    }
  }

  /** Removes and returns the timers of the earliest timestamp if it is <= limit. */
  pollUpTo(limit: number): { timestamp: number; buckets: Map<Namespace, Bucket<N>> } | undefined {
    const ts = this.peek();
    if (ts === undefined || ts > limit) return undefined;
    this.heap.pop();
    const buckets = this.byTime.get(ts)!;
    this.byTime.delete(ts);
    for (const b of buckets.values()) this.count -= b.size;
    return { timestamp: ts, buckets };
  }
}

/** A timer as written to a snapshot: [domain, key, namespace, timestamp]. */
export type TimerEntry<N> = [TimeDomain, KeyValue, N, number];

export type KeyContext = { currentKey: NormalizedKey };

export class InternalTimerService<N> {
  readonly #eventTime = new TimerQueue<N>();
  readonly #processingTime = new TimerQueue<N>();
  readonly #keyContext: KeyContext;
  readonly #namespaceKey: (ns: N) => Namespace;
  readonly #clock: ProcessingTimeService;
  readonly #target: Triggerable<N>;
  #wakeUp: ScheduledCallback | undefined;
  #wakeUpAt = Number.POSITIVE_INFINITY;
  currentWatermark = Number.NEGATIVE_INFINITY;

  constructor(options: {
    keyContext: KeyContext;
    namespaceKey: (ns: N) => Namespace;
    clock: ProcessingTimeService;
    target: Triggerable<N>;
  }) {
    this.#keyContext = options.keyContext;
    this.#namespaceKey = options.namespaceKey;
    this.#clock = options.clock;
    this.#target = options.target;
  }

  currentProcessingTime(): number {
    return this.#clock.now();
  }

  registerEventTimeTimer(namespace: N, timestamp: number): void {
    this.#eventTime.add(timestamp, this.#namespaceKey(namespace), namespace, this.#keyContext.currentKey);
  }

  deleteEventTimeTimer(namespace: N, timestamp: number): void {
    this.#eventTime.remove(timestamp, this.#namespaceKey(namespace), this.#keyContext.currentKey);
  }

  registerProcessingTimeTimer(namespace: N, timestamp: number): void {
    if (
      this.#processingTime.add(
        timestamp,
        this.#namespaceKey(namespace),
        namespace,
        this.#keyContext.currentKey,
      )
    ) {
      this.#scheduleWakeUp();
    }
  }

  deleteProcessingTimeTimer(namespace: N, timestamp: number): void {
    this.#processingTime.remove(timestamp, this.#namespaceKey(namespace), this.#keyContext.currentKey);
  }

  numEventTimeTimers(): number {
    return this.#eventTime.count;
  }

  numProcessingTimeTimers(): number {
    return this.#processingTime.count;
  }

  /** Fires every event-time timer with timestamp <= watermark, in timestamp order. */
  advanceWatermark(watermark: number): void {
    this.currentWatermark = watermark;
    this.#fire(this.#eventTime, watermark, 'event-time');
  }

  /** Fires every processing-time timer with timestamp <= time. */
  advanceProcessingTime(time: number): void {
    this.#fire(this.#processingTime, time, 'processing-time');
    this.#scheduleWakeUp();
  }

  #fire(queue: TimerQueue<N>, limit: number, domain: TimeDomain): void {
    const saved = this.#keyContext.currentKey;
    for (;;) {
      const due = queue.pollUpTo(limit);
      if (due === undefined) break;
      for (const bucket of due.buckets.values()) {
        for (const [key, namespace] of bucket) {
          this.#keyContext.currentKey = key;
          if (domain === 'event-time') this.#target.onEventTime(due.timestamp, namespace);
          else this.#target.onProcessingTime(due.timestamp, namespace);
        }
      }
    }
    this.#keyContext.currentKey = saved;
  }

  #scheduleWakeUp(): void {
    const next = this.#processingTime.peek();
    if (next === undefined) {
      this.#wakeUp?.cancel();
      this.#wakeUp = undefined;
      this.#wakeUpAt = Number.POSITIVE_INFINITY;
      return;
    }
    if (next >= this.#wakeUpAt && this.#wakeUp !== undefined) return;
    this.#wakeUp?.cancel();
    this.#wakeUpAt = next;
    this.#wakeUp = this.#clock.schedule(next, (now) => {
      this.#wakeUp = undefined;
      this.#wakeUpAt = Number.POSITIVE_INFINITY;
      this.advanceProcessingTime(now);
    });
  }

  cancelWakeUp(): void {
    this.#wakeUp?.cancel();
    this.#wakeUp = undefined;
  }

  /** Timers grouped by the key group of their key. */
  snapshotByKeyGroup(maxParallelism: number): Map<number, TimerEntry<N>[]> {
    const groups = new Map<number, TimerEntry<N>[]>();
    const collect = (queue: TimerQueue<N>, domain: TimeDomain) => {
      for (const [ts, byNs] of queue.byTime) {
        for (const bucket of byNs.values()) {
          for (const [normKey, namespace] of bucket) {
            const key = denormalizeKey(normKey);
            const kg = assignToKeyGroup(key, maxParallelism);
            let list = groups.get(kg);
            if (list === undefined) groups.set(kg, (list = []));
            list.push([domain, key, namespace, ts]);
          }
        }
      }
    };
    collect(this.#eventTime, 'event-time');
    collect(this.#processingTime, 'processing-time');
    return groups;
  }

  restore(entries: Iterable<TimerEntry<N>>): void {
    for (const [domain, key, ns, ts] of entries) {
      const normKey = normalizeKey(key);
      const queue = domain === 'event-time' ? this.#eventTime : this.#processingTime;
      queue.add(ts, this.#namespaceKey(ns), ns, normKey);
    }
    this.#scheduleWakeUp();
  }
}
