// Flink's StatusWatermarkValve: combines the watermarks of a task's input channels. The task's watermark is
// the minimum over active channels; idle channels are left out until they catch up; ended channels no
// longer hold anything back. Pure: it only returns what to emit.

type ChannelState = { watermark: number; idle: boolean; aligned: boolean; ended: boolean };

export type ValveOutput = { watermark?: number; idle?: boolean };

export class StatusWatermarkValve {
  readonly #channels: ChannelState[];
  #lastWatermark = Number.NEGATIVE_INFINITY;
  #idle = false;

  constructor(numChannels: number) {
    this.#channels = Array.from({ length: numChannels }, () => ({
      watermark: Number.NEGATIVE_INFINITY,
      idle: false,
      aligned: true,
      ended: false,
    }));
  }

  get currentWatermark(): number {
    return this.#lastWatermark;
  }

  inputWatermark(channel: number, watermark: number): ValveOutput {
    const c = this.#channels[channel]!;
    if (c.ended) return {};
    const out: ValveOutput = {};
    if (c.idle) {
      // A watermark means the channel is active again.
      c.idle = false;
      if (this.#idle) {
        this.#idle = false;
        out.idle = false;
      }
    }
    if (watermark > c.watermark) {
      c.watermark = watermark;
      if (!c.aligned && watermark >= this.#lastWatermark) c.aligned = true;
      if (c.aligned) this.#advance(out);
    }
    return out;
  }

  inputStatus(channel: number, idle: boolean): ValveOutput {
    const c = this.#channels[channel]!;
    if (c.ended || c.idle === idle) return {};
    const out: ValveOutput = {};
    c.idle = idle;
    if (idle) {
      c.aligned = false;
      if (this.#channels.every((x) => x.idle || x.ended)) {
        // Everything is idle: release the highest watermark seen, then go idle.
        const max = Math.max(...this.#channels.map((x) => x.watermark));
        if (max > this.#lastWatermark) {
          this.#lastWatermark = max;
          out.watermark = max;
        }
        if (!this.#idle) {
          this.#idle = true;
          out.idle = true;
        }
      } else {
        this.#advance(out);
      }
    } else {
      c.aligned = c.watermark >= this.#lastWatermark;
      if (this.#idle) {
        this.#idle = false;
        out.idle = false;
      }
    }
    return out;
  }

  /** The channel finished: it counts as having passed every watermark. */
  inputEnded(channel: number): ValveOutput {
    const c = this.#channels[channel]!;
    c.ended = true;
    c.idle = false;
    c.aligned = false;
    const out: ValveOutput = {};
    if (this.#channels.every((x) => x.ended)) return out;
    this.#advance(out);
    return out;
  }

  #advance(out: ValveOutput): void {
    let min = Number.POSITIVE_INFINITY;
    let any = false;
    for (const c of this.#channels) {
      if (c.aligned && !c.idle && !c.ended) {
        any = true;
        if (c.watermark < min) min = c.watermark;
      }
    }
    if (any && min > this.#lastWatermark) {
      this.#lastWatermark = min;
      out.watermark = min;
    }
  }
}
