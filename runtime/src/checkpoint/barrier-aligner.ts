// Barrier alignment for one task (the Chandy-Lamport variant Flink uses). In exactly-once mode a channel
// that delivered barrier n is blocked until barrier n arrived on every other live channel, so the snapshot
// contains exactly the records before the barrier. In at-least-once mode nothing is blocked; the snapshot
// is taken when the last barrier arrives. Pure: the task asks whether a channel is blocked and learns when
// to snapshot.

export type CheckpointingMode = 'exactly-once' | 'at-least-once';

export type AlignmentResult = { readonly snapshot?: number; readonly aborted?: number };

export class BarrierAligner {
  readonly #mode: CheckpointingMode;
  readonly #ended: boolean[];
  readonly #seen: boolean[];
  #pending: number | undefined;

  constructor(numChannels: number, mode: CheckpointingMode) {
    this.#mode = mode;
    this.#ended = new Array(numChannels).fill(false);
    this.#seen = new Array(numChannels).fill(false);
  }

  get pendingCheckpoint(): number | undefined {
    return this.#pending;
  }

  isBlocked(channel: number): boolean {
    return this.#mode === 'exactly-once' && this.#pending !== undefined && this.#seen[channel] === true;
  }

  onBarrier(channel: number, checkpointId: number): AlignmentResult {
    let aborted: number | undefined;
    if (this.#pending !== undefined && checkpointId > this.#pending) {
      // A newer barrier overtook an unfinished checkpoint: that one can no longer complete here.
      aborted = this.#pending;
      this.#reset();
    }
    if (this.#pending !== undefined && checkpointId < this.#pending) return {};
    this.#pending = checkpointId;
    this.#seen[channel] = true;
    return this.#completeIfAligned(aborted);
  }

  onEnd(channel: number): AlignmentResult {
    this.#ended[channel] = true;
    if (this.#pending === undefined) return {};
    return this.#completeIfAligned(undefined);
  }

  #completeIfAligned(aborted: number | undefined): AlignmentResult {
    const id = this.#pending!;
    for (let c = 0; c < this.#seen.length; c++) {
      if (!this.#seen[c] && !this.#ended[c]) return aborted === undefined ? {} : { aborted };
    }
    this.#reset();
    return aborted === undefined ? { snapshot: id } : { snapshot: id, aborted };
  }

  #reset(): void {
    this.#pending = undefined;
    this.#seen.fill(false);
  }
}
