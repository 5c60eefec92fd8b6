// The Kubernetes API permissions the operator needs, declared once (the chart's Role/ClusterRole must grant
// exactly these; docs/operator.md lists them). Namespaced rules apply in every watched namespace; the Lease
// rule only in the operator's own namespace.
export type PolicyRule = {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
};

export const WATCHED_NAMESPACE_RULES: readonly PolicyRule[] = [
  {
    apiGroups: ['riffle.dev'],
    resources: ['streamjobs'],
    verbs: ['get', 'list', 'watch', 'patch', 'update'],
  },
  { apiGroups: ['riffle.dev'], resources: ['streamjobs/status'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: ['riffle.dev'], resources: ['streamjobs/scale'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: ['riffle.dev'], resources: ['streamjobs/finalizers'], verbs: ['update'] },
  {
    apiGroups: ['apps'],
    resources: ['deployments'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
  },
  {
    apiGroups: [''],
    resources: ['services', 'configmaps'],
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
  },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] },
];

export const OPERATOR_NAMESPACE_RULES: readonly PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update', 'patch'] },
];
