export type JobStatus = 'CREATED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELED';

/** Counters of one operator, summed over its parallel subtasks. */
export type OperatorCounters = {
  readonly numRecordsIn: number;
  readonly numRecordsOut: number;
  readonly numLateRecordsDropped: number;
  readonly numRecordsFailed: number;
};

export type JobExecutionResult = {
  readonly jobId: string;
  readonly jobName: string;
  readonly status: JobStatus;
  readonly netRuntimeMs: number;
  /** Per operator, keyed by uid. */
  readonly metrics: Readonly<Record<string, OperatorCounters & { readonly name: string }>>;
};

/** A handle on a running job. */
export interface JobClient {
  readonly jobId: string;
  readonly jobName: string;
  status(): JobStatus;
  /** Stops the job: sources stop, sinks flush and close; windows not yet fired are not emitted. */
  cancel(): Promise<void>;
  readonly result: Promise<JobExecutionResult>;
}
