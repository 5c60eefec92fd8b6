// Processing time behind a small interface, so every decision that depends on the wall clock can be
// driven by a manual clock in tests.

export interface ScheduledCallback {
  cancel(): void;
}

export interface ProcessingTimeService {
  now(): number;
  /** Calls back once processing time reaches `timestamp` (at the earliest). */
  schedule(timestamp: number, callback: (now: number) => void): ScheduledCallback;
}

export class SystemProcessingTimeService implements ProcessingTimeService {
  now(): number {
    return Date.now();
  }

  schedule(timestamp: number, callback: (now: number) => void): ScheduledCallback {
    const handle = setTimeout(() => callback(Date.now()), Math.max(0, timestamp - Date.now()));
    return { cancel: () => clearTimeout(handle) };
  }
}

/** A clock that moves only when told to: `advanceTo` runs every callback that became due, in time order. */
export class ManualProcessingTimeService implements ProcessingTimeService {
  #now: number;
  #pending: { at: number; seq: number; callback: (now: number) => void; cancelled: boolean }[] = [];
  #seq = 0;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  schedule(timestamp: number, callback: (now: number) => void): ScheduledCallback {
    const entry = { at: timestamp, seq: this.#seq++, callback, cancelled: false };
    this.#pending.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }

  advanceTo(timestamp: number): void {
    for (;;) {
      this.#pending = this.#pending.filter((e) => !e.cancelled);
      this.#pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#pending[0];
      if (next === undefined || next.at > timestamp) break;
      this.#pending.shift();
      this.#now = Math.max(this.#now, next.at);
      next.callback(this.#now);
    }
    this.#now = Math.max(this.#now, timestamp);
  }

  pendingCount(): number {
    return this.#pending.filter((e) => !e.cancelled).length;
  }
}
