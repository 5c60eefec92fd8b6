export type JobStatus = 'CREATED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELED';

export type JobExecutionResult = {
  readonly jobId: string;
  readonly jobName: string;
  readonly status: JobStatus;
  readonly netRuntimeMs: number;
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
