// The worker's data plane: the network module (TCP, credit-based flow control, measured codec).
import { NetworkEnvironment } from '../network/network-environment.ts';
import type { DataPlane } from './data-plane.ts';

export async function startDataPlane(host: string): Promise<DataPlane> {
  const env = await NetworkEnvironment.start({ host });
  return {
    get address() {
      return env.address;
    },
    createOutputChannel: (o) => env.createOutputChannel(o),
    createInputChannel: (o) => env.createInputChannel(o),
    connect: (prefix) => env.connect(prefix),
    drain: (prefix) => env.drain(prefix),
    releaseChannels: (prefix) => env.releaseChannels(prefix),
    close: () => env.close(),
    stats: () => env.stats(),
    set onError(handler: (e: Error) => void) {
      env.onError = handler;
    },
    get onError() {
      return env.onError;
    },
  };
}
