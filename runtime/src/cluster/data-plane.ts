// What a worker needs from the network layer: channels to and from subtasks in other workers, multiplexed
// over TCP with credit-based flow control (runtime/src/network implements it).
import type { InputChannel, OutputChannel } from '../execution/channel.ts';
import type { Endpoint } from './rpc-messages.ts';

export interface DataPlane {
  readonly address: Endpoint;
  createOutputChannel(options: { channelId: string; remote: Endpoint; capacity: number }): OutputChannel;
  createInputChannel(options: { channelId: string; credits: number; onData: () => void }): InputChannel;
  /** Connects the producer ends created so far. */
  connect(): Promise<void>;
  /** Releases the channels whose ids start with `prefix` (a finished or cancelled attempt). */
  releaseChannels(prefix: string): void;
  close(): Promise<void>;
}
