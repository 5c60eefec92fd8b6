// The StreamJob custom resource: riffle.dev/v1alpha1, kind StreamJob, short name sj.
import type { StreamJobSpecInput } from './stream-job-spec.ts';
import type { StreamJobStatus } from './stream-job-status.ts';

export const GROUP = 'riffle.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'StreamJob';
export const PLURAL = 'streamjobs';
export const FINALIZER = 'riffle.dev/final-savepoint';
/** Set to "true" to delete a StreamJob without waiting for its final savepoint. */
export const SKIP_FINAL_SAVEPOINT_ANNOTATION = 'riffle.dev/skip-final-savepoint';

export type ObjectMeta = {
  name: string;
  namespace: string;
  uid: string;
  generation: number;
  resourceVersion: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
};

/** A StreamJob as read from the API server: the spec is unvalidated until parsed. */
export type StreamJob = {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: StreamJobSpecInput | Record<string, unknown>;
  status?: StreamJobStatus;
};
