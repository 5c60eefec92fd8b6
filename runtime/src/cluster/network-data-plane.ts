// The worker's data plane: TCP with credit-based flow control (runtime/src/shuffle).
import { TcpDataPlane } from '../shuffle/tcp-data-plane.ts';
import type { DataPlane } from './data-plane.ts';

export async function startDataPlane(host: string): Promise<DataPlane> {
  return TcpDataPlane.start(host);
}
