// The StreamJob CustomResourceDefinition, generated from the zod schemas: status and scale subresources
// (kubectl scale sj/NAME --replicas=N sets spec.taskManager.replicas) and printer columns.
import { GROUP, KIND, PLURAL, VERSION } from '../api/stream-job.ts';
import { StreamJobSpec } from '../api/stream-job-spec.ts';
import { StreamJobStatus } from '../api/stream-job-status.ts';
import { toStructural, zodToJsonSchema } from './structural-schema.ts';

export function streamJobCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        plural: PLURAL,
        singular: 'streamjob',
        kind: KIND,
        listKind: `${KIND}List`,
        shortNames: ['sj'],
        categories: ['riffle'],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              description: 'A Riffle stream job run by the Riffle operator',
              required: ['spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: toStructural(zodToJsonSchema(StreamJobSpec), 'spec'),
                status: toStructural(zodToJsonSchema(StreamJobStatus), 'status'),
              },
            },
          },
          subresources: {
            status: {},
            scale: {
              specReplicasPath: '.spec.taskManager.replicas',
              statusReplicasPath: '.status.taskManager.replicas',
              labelSelectorPath: '.status.taskManager.labelSelector',
            },
          },
          additionalPrinterColumns: [
            { name: 'Lifecycle', type: 'string', jsonPath: '.status.lifecycleState' },
            { name: 'Job State', type: 'string', jsonPath: '.status.job.state' },
            { name: 'Parallelism', type: 'integer', jsonPath: '.status.parallelism' },
            {
              name: 'Last Savepoint',
              type: 'string',
              jsonPath: '.status.job.lastSavepoint.path',
              priority: 0,
            },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        },
      ],
    },
  };
}
