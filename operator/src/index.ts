// @riffle/operator: the StreamJob API (schemas and constants) and the CRD generator, for tests and tools.
export * from './api/stream-job.ts';
export * from './api/stream-job-spec.ts';
export * from './api/stream-job-status.ts';
export { streamJobCrd } from './crd/stream-job-crd.ts';
