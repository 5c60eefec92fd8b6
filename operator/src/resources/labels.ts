// Names and labels of a StreamJob's children. The selector labels never change for the life of a
// StreamJob; the generation label and the plan-hash annotation say which deployment the pods run.
export const MANAGED_BY = 'riffle-operator';
export const FIELD_MANAGER = 'riffle-operator';
export const PLAN_HASH_ANNOTATION = 'riffle.dev/plan-hash';
export const STREAMJOB_LABEL = 'riffle.dev/streamjob';
export const COMPONENT_LABEL = 'riffle.dev/component';
export const GENERATION_LABEL = 'riffle.dev/generation';
export const MANAGED_SELECTOR = `app.kubernetes.io/managed-by=${MANAGED_BY}`;

export type Component = 'jobmanager' | 'taskmanager';

export const childNames = (name: string) => ({
  jobManager: `${name}-jobmanager`,
  taskManager: `${name}-taskmanager`,
  service: `${name}-jobmanager`,
  configMap: `${name}-config`,
});

export function selectorLabels(name: string, component: Component): Record<string, string> {
  return { [STREAMJOB_LABEL]: name, [COMPONENT_LABEL]: component };
}

export function commonLabels(name: string, generation: number): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'riffle',
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    [STREAMJOB_LABEL]: name,
    [GENERATION_LABEL]: String(generation),
  };
}
