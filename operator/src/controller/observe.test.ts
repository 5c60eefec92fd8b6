import type { V1Pod } from '@kubernetes/client-node';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jobManagerProblem } from './observe.ts';

const obs = suite('observe: JobManager pod problems');

const pod = (status: NonNullable<V1Pod['status']>): V1Pod => ({
  metadata: { name: 'wc-jobmanager-x' },
  status,
});

obs('CrashLoopBackOff, ImagePullBackOff and repeated OOMKilled are problems; a starting pod is not', () => {
  assert.match(
    jobManagerProblem([
      pod({
        containerStatuses: [
          {
            name: 'jobmanager',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
          },
        ],
      }),
    ])!,
    /^CrashLoopBackOff: back-off 40s \(pod wc-jobmanager-x, 4 restarts\)$/,
  );
  assert.match(
    jobManagerProblem([
      pod({
        containerStatuses: [
          {
            name: 'jobmanager',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ImagePullBackOff' } },
          },
        ],
      }),
    ])!,
    'ImagePullBackOff',
  );
  assert.match(
    jobManagerProblem([
      pod({
        containerStatuses: [
          {
            name: 'jobmanager',
            image: 'i',
            imageID: '',
            ready: true,
            restartCount: 2,
            state: { running: {} },
            lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
          },
        ],
      }),
    ])!,
    'OOMKilled',
  );
  assert.is(
    jobManagerProblem([
      pod({
        containerStatuses: [
          {
            name: 'jobmanager',
            image: 'i',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      }),
    ]),
    undefined,
  );
});

obs.run();
