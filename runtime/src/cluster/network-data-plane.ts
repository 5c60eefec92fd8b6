// Adapts the network module to the worker's DataPlane.
import type { InputChannel, OutputChannel } from '../execution/channel.ts';
import type { DataPlane } from './data-plane.ts';

export async function startDataPlane(host: string): Promise<DataPlane> {
  // TEMPORARY until runtime/src/network lands: only in-memory channels; remote channels fail loudly.
  const unsupported = (): never => {
    throw new Error('remote channels are not available yet');
  };
  return {
    address: { host, port: 1 },
    createOutputChannel: (): OutputChannel => unsupported(),
    createInputChannel: (): InputChannel => unsupported(),
    connect: async () => {},
    releaseChannels: () => {},
    close: async () => {},
  };
}
