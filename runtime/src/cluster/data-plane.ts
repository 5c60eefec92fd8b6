// What a worker needs from the network layer: channels to and from subtasks in other workers, multiplexed
// over TCP with credit-based flow control (runtime/src/network implements it).
import type { InputChannel, OutputChannel } from '../execution/channel.ts';
import type { NetworkStats } from '../network/network-environment.ts';
import type { Endpoint } from './rpc-messages.ts';

export interface DataPlane {
  readonly address: Endpoint;
  createOutputChannel(options: {
    channelId: string;
    remote: Endpoint;
    capacity: number;
    /** Called when a full channel has room again, to wake the producing task. */
    onWritable: () => void;
  }): OutputChannel;
  createInputChannel(options: { channelId: string; credits: number; onData: () => void }): InputChannel;
  /** Connects the producer ends of the channels whose ids start with `prefix`. */
  connect(prefix: string): Promise<void>;
  /** Waits until the output channels whose ids start with `prefix` have sent every buffer. */
  drain(prefix: string): Promise<void>;
  /** Releases the channels whose ids start with `prefix` (a finished or cancelled attempt). */
  releaseChannels(prefix: string): void;
  close(): Promise<void>;
  /** Bytes and backpressure per channel, by channel id. */
  stats(): NetworkStats;
  /** Called when a connection fails (the remote worker died, say). */
  onError: (e: Error) => void;
}
