// Job ids and savepoint trigger ids derived from the StreamJob's uid and what they are for, so that a pass
// repeated after a crash (or a lost status patch) sends the JobManager the very same request: the
// JobManager answers a known trigger id with the same request, and the same job id resumes the same state.
import { createHash } from 'node:crypto';

function hex32(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export function deploymentJobId(uid: string, generation: number, attempt: number): string {
  return hex32(`${uid}/job/${generation}/${attempt}`);
}

export function savepointTriggerId(uid: string, purpose: string): string {
  return hex32(`${uid}/savepoint/${purpose}`);
}
