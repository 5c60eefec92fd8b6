// The REST contract of Riffle's JobManager: schemas and types (Flink's paths and shapes), the typed client
// and its error, and the server side (createRestHandler over a ClusterView). Imports zod and node built-ins
// only, never the engine: the Kubernetes operator imports this module.
export * from './checkpointing-statistics.ts';
export * from './cluster-overview.ts';
export type { ClusterView } from './cluster-view.ts';
export * from './dashboard-configuration.ts';
export * from './error-response-body.ts';
export * from './ids.ts';
export * from './job-cancellation.ts';
export * from './job-details-info.ts';
export * from './job-exceptions-info.ts';
export * from './job-ids-with-status.ts';
export * from './job-status.ts';
export * from './job-submit.ts';
export * from './multiple-jobs-details.ts';
export { RestClient, type RestClientOptions } from './rest-client.ts';
export { REST_ENDPOINTS, type RestEndpoint, type RestEndpointName } from './rest-endpoints.ts';
export { RestError, type RestErrorKind, type RestErrorOptions } from './rest-error.ts';
export {
  createRestHandler,
  DEFAULT_MAX_BODY_BYTES,
  type RequestListener,
  type RestHandlerOptions,
} from './rest-handler.ts';
export { type RestServer, type RestServerOptions, startRestServer } from './rest-server.ts';
export * from './savepoint-requests.ts';
export * from './task-managers-info.ts';
