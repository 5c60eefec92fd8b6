// Test harness for decide(): a StreamJob fixture and a pass runner that carries the status from one pass to
// the next, as the controller does, with observations given per pass.
import { FINALIZER, type StreamJob } from '../api/stream-job.ts';
import type { StreamJobSpecInput } from '../api/stream-job-spec.ts';
import type { CheckpointRecord, StreamJobStatus } from '../api/stream-job-status.ts';
import { type DecideOptions, decide } from '../reconcile/decide.ts';
import type { Action, Decision } from '../reconcile/decision.ts';
import type { Observation, SavepointPoll } from '../reconcile/observation.ts';

export const T0 = Date.parse('2026-11-25T10:00:00Z');
export const OPTIONS: DecideOptions = { pollMs: 2000, resyncMs: 15_000, retryBaseMs: 10_000 };

export function baseSpec(patch: (s: StreamJobSpecInput) => void = () => {}): StreamJobSpecInput {
  const spec: StreamJobSpecInput = {
    image: 'riffle:1',
    job: { entryModule: 'examples/wordcount/job.ts', args: ['--rate', '10'] },
    taskManager: { replicas: 1, slots: 2 },
    checkpointing: { interval: '10s', storage: 's3://b/chk' },
    savepoints: { directory: 's3://b/sp' },
  };
  patch(spec);
  return spec;
}

export type JobView = {
  state?: string;
  savepoint?: SavepointPoll;
  lastCheckpoint?: CheckpointRecord;
  reachable?: boolean;
  jmExists?: boolean;
  jmProblem?: string;
  /** The pods run this plan hash; default: whatever status.deployment says (children up to date). */
  podsHash?: string | null;
};

/** A StreamJob whose status evolves pass by pass. */
export class Sim {
  job: StreamJob;
  now = T0;
  last: Decision | undefined;

  constructor(spec: StreamJobSpecInput = baseSpec(), status?: StreamJobStatus) {
    this.job = {
      apiVersion: 'riffle.dev/v1alpha1',
      kind: 'StreamJob',
      metadata: {
        name: 'wc',
        namespace: 'ns',
        uid: 'uid-1',
        generation: 1,
        resourceVersion: '1',
        finalizers: [FINALIZER],
      },
      spec,
      ...(status === undefined ? {} : { status }),
    };
  }

  edit(patch: (s: StreamJobSpecInput) => void): this {
    patch(this.job.spec as StreamJobSpecInput);
    this.job.metadata.generation += 1;
    return this;
  }

  observation(view: JobView): Observation {
    const deployment = this.job.status?.deployment;
    const deployed = deployment !== undefined;
    const hash = view.podsHash === null ? undefined : (view.podsHash ?? deployment?.planHash);
    const dep = (exists: boolean) =>
      exists
        ? { exists: true as const, planHash: hash, replicas: 1, readyReplicas: 1 }
        : { exists: false as const };
    const jmExists = view.jmExists ?? deployed;
    return {
      jobManager: dep(jmExists),
      taskManager: dep(deployed),
      jobManagerProblem: view.jmProblem,
      rest: !deployed
        ? undefined
        : view.reachable === false
          ? { reachable: false, error: 'connect ECONNREFUSED' }
          : {
              reachable: true,
              jobState: view.state,
              lastCheckpoint: view.lastCheckpoint,
              savepoint: view.savepoint,
            },
    };
  }

  /** One pass: decide, then (as the controller) record the status. */
  pass(view: JobView = {}, advanceMs = 1000): Decision {
    this.now += advanceMs;
    const decision = decide({
      job: this.job,
      observed: this.observation(view),
      now: this.now,
      options: OPTIONS,
    });
    this.job.status = structuredClone(decision.status);
    for (const a of decision.actions) {
      if (a.kind === 'add-finalizer') this.job.metadata.finalizers = [FINALIZER];
      if (a.kind === 'remove-finalizer') this.job.metadata.finalizers = [];
    }
    this.last = decision;
    return decision;
  }
}

export function kinds(d: Decision): string[] {
  return d.actions.filter((a) => a.kind !== 'event').map((a) => a.kind);
}

export function reasons(d: Decision): string[] {
  return d.actions.flatMap((a) => (a.kind === 'event' ? [a.reason] : []));
}

export function find<K extends Action['kind']>(
  d: Decision,
  kind: K,
): Extract<Action, { kind: K }> | undefined {
  return d.actions.find((a) => a.kind === kind) as Extract<Action, { kind: K }> | undefined;
}

export function condition(d: Decision, type: string): { status: string; reason: string; message: string } {
  return d.status.conditions!.find((c) => c.type === type)!;
}
