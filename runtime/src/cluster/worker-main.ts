// Entry point of a slot's worker thread.
import { parentPort, workerData } from 'node:worker_threads';
import { startDataPlane } from './network-data-plane.ts';
import { SlotWorker } from './slot-worker.ts';
import type { FromWorker, ToWorker, WorkerData } from './worker-messages.ts';

const data = workerData as WorkerData;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

const dataPlane = await startDataPlane(data.host);
const worker = new SlotWorker(dataPlane, post);
const metricsTimer = setInterval(() => post({ type: 'metrics', subtasks: worker.metrics() }), 1000);
metricsTimer.unref();

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'deploy':
      void worker.deploy(m.share);
      return;
    case 'cancel':
      void worker.cancel(m.jobId, m.attempt);
      return;
    case 'checkpoint':
      worker.triggerCheckpoint(m.jobId, m.attempt, m.checkpointId, m.timestamp);
      return;
    case 'checkpoint-complete':
      void worker.checkpointComplete(m.jobId, m.attempt, m.checkpointId);
      return;
    case 'stop':
      clearInterval(metricsTimer);
      void dataPlane.close().finally(() => process.exit(0));
      return;
  }
});
post({ type: 'ready', slotIndex: data.slotIndex, data: dataPlane.address });
