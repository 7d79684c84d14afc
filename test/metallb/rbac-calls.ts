import type { AccessReviewAttributes } from '../../lab/controlplane/kube-client';

/**
 * Every call MetalLB v0.16 makes on the API server, as access-review attributes, per component (the
 * list behind constructs/metallb/rbac.ts, from the source: see there). `ns` is the MetalLB namespace,
 * `other` any namespace holding Services. The neighbours are calls the components never make, which
 * least privilege must refuse.
 */
export interface Call extends AccessReviewAttributes {
  /** Where in MetalLB (or its libraries) the call is made. */
  readonly why: string;
}

const metallb = (verb: string, resource: string, namespace: string | undefined, why: string, extra: Partial<Call> = {}): Call =>
  ({ verb, resource, group: 'metallb.io', namespace, why, ...extra });

export function controllerCalls(ns: string, other: string, pod: string): Call[] {
  return [
    { verb: 'get', resource: 'pods', namespace: ns, name: pod, why: 'k8s.New: own Pod' },
    { verb: 'list', resource: 'secrets', namespace: ns, name: 'memberlist', why: 'CreateMlSecret: list by name' },
    { verb: 'create', resource: 'secrets', namespace: ns, why: 'CreateMlSecret' },
    { verb: 'get', resource: 'deployments', group: 'apps', namespace: ns, name: 'metallb-controller', why: 'CreateMlSecret: owner reference' },
    { verb: 'list', resource: 'secrets', namespace: ns, why: 'cert rotator cache' },
    { verb: 'watch', resource: 'secrets', namespace: ns, why: 'cert rotator cache' },
    { verb: 'update', resource: 'secrets', namespace: ns, name: 'metallb-webhook-cert', why: 'cert rotator writes the certificate' },
    ...['list', 'watch'].flatMap((verb) => ['ipaddresspools', 'communities'].map((r) => metallb(verb, r, ns, 'PoolReconciler cache'))),
    ...['l2advertisements', 'bgpadvertisements', 'bgppeers'].map((r) => metallb('list', r, ns, 'webhooks: API reader lists')),
    metallb('update', 'ipaddresspools', ns, 'PoolStatusReconciler', { subresource: 'status', name: 'default' }),
    metallb('create', 'configurationstates', ns, 'ConfigurationStateReconciler'),
    metallb('patch', 'configurationstates', ns, 'ConfigurationStateReconciler', { name: 'controller' }),
    metallb('patch', 'configurationstates', ns, 'PoolReconciler condition (server-side apply)', { subresource: 'status', name: 'controller' }),
    ...['list', 'watch'].flatMap((verb) => [
      { verb, resource: 'services', why: 'ServiceReconciler cache' },
      { verb, resource: 'namespaces', why: 'PoolReconciler cache' },
      metallb(verb, 'configurationstates', undefined, 'cluster-wide cache'),
      { verb, resource: 'validatingwebhookconfigurations', group: 'admissionregistration.k8s.io', why: 'cert rotator cache' },
      { verb, resource: 'customresourcedefinitions', group: 'apiextensions.k8s.io', why: 'cert rotator cache' },
    ]),
    { verb: 'update', resource: 'services', subresource: 'status', namespace: other, name: 'any', why: 'Client.UpdateStatus' },
    { verb: 'create', resource: 'events', namespace: other, why: 'event recorder' },
    { verb: 'patch', resource: 'events', namespace: other, why: 'event recorder (repeated events)' },
    { verb: 'list', resource: 'nodes', why: 'BGP webhooks' },
    { verb: 'update', resource: 'validatingwebhookconfigurations', group: 'admissionregistration.k8s.io', name: 'metallb-webhook-configuration', why: 'caBundle' },
    { verb: 'update', resource: 'customresourcedefinitions', group: 'apiextensions.k8s.io', name: 'bgppeers.metallb.io', why: 'conversion caBundle' },
    { verb: 'create', resource: 'tokenreviews', group: 'authentication.k8s.io', why: 'metrics authentication' },
    { verb: 'create', resource: 'subjectaccessreviews', group: 'authorization.k8s.io', why: 'metrics authorization' },
  ];
}

export function controllerNeighbours(ns: string, other: string): Call[] {
  return [
    { verb: 'get', resource: 'secrets', namespace: 'kube-system', name: 'x', why: 'Secrets outside MetalLB' },
    { verb: 'list', resource: 'secrets', why: 'Secrets cluster-wide' },
    { verb: 'delete', resource: 'secrets', namespace: ns, name: 'memberlist', why: 'never deletes' },
    { verb: 'update', resource: 'secrets', namespace: ns, name: 'memberlist', why: 'only the webhook Secret is updated' },
    { verb: 'update', resource: 'services', namespace: other, name: 'any', why: 'only status' },
    { verb: 'get', resource: 'deployments', group: 'apps', namespace: ns, name: 'other', why: 'only its own Deployment' },
    { verb: 'update', resource: 'validatingwebhookconfigurations', group: 'admissionregistration.k8s.io', name: 'someone-else', why: 'only its own webhook' },
    { verb: 'update', resource: 'customresourcedefinitions', group: 'apiextensions.k8s.io', name: 'ipaddresspools.metallb.io', why: 'only the BGPPeer CRD' },
    metallb('create', 'ipaddresspools', ns, 'pools come from Git'),
    metallb('create', 'configurationstates', other, 'only in its namespace'),
    { verb: 'patch', resource: 'nodes', name: 'n', why: 'never writes nodes' },
  ];
}

export function speakerCalls(ns: string, other: string, pod: string): Call[] {
  return [
    { verb: 'get', resource: 'pods', namespace: ns, name: pod, why: 'k8s.New: own Pod' },
    { verb: 'list', resource: 'pods', namespace: ns, why: 'memberlist: other speakers' },
    ...['list', 'watch'].flatMap((verb) => [
      ...['secrets', 'configmaps'].map((resource) => ({ verb, resource, namespace: ns, why: 'ConfigReconciler cache' })),
      ...['ipaddresspools', 'l2advertisements', 'bgpadvertisements', 'bgppeers', 'bfdprofiles', 'communities', 'servicebgpstatuses'].map((r) => metallb(verb, r, ns, 'ConfigReconciler / BGP status cache')),
      ...['services', 'nodes', 'namespaces'].map((resource) => ({ verb, resource, why: 'cluster-wide caches' })),
      { verb, resource: 'endpointslices', group: 'discovery.k8s.io', why: 'ServiceReconciler with endpoints' },
      metallb(verb, 'servicel2statuses', undefined, 'cluster-wide cache'),
      metallb(verb, 'configurationstates', undefined, 'cluster-wide cache'),
    ]),
    ...['servicel2statuses', 'servicebgpstatuses'].flatMap((r) => [
      metallb('create', r, ns, 'status reconcilers'),
      metallb('patch', r, ns, 'status reconcilers', { name: 'l2-abc' }),
      metallb('delete', r, ns, 'status reconcilers', { name: 'l2-abc' }),
      metallb('patch', r, ns, 'status reconcilers', { name: 'l2-abc', subresource: 'status' }),
    ]),
    metallb('create', 'configurationstates', ns, 'ConfigurationStateReconciler'),
    metallb('patch', 'configurationstates', ns, 'ConfigurationStateReconciler', { name: 'speaker-node-1' }),
    metallb('patch', 'configurationstates', ns, 'ConfigReconciler condition', { name: 'speaker-node-1', subresource: 'status' }),
    { verb: 'create', resource: 'events', namespace: other, why: 'event recorder' },
    { verb: 'patch', resource: 'events', namespace: other, why: 'event recorder' },
    { verb: 'create', resource: 'tokenreviews', group: 'authentication.k8s.io', why: 'metrics authentication' },
    { verb: 'create', resource: 'subjectaccessreviews', group: 'authorization.k8s.io', why: 'metrics authorization' },
  ];
}

export function speakerNeighbours(ns: string, other: string): Call[] {
  return [
    { verb: 'update', resource: 'services', subresource: 'status', namespace: other, name: 'any', why: 'allocation is the controller\'s' },
    { verb: 'create', resource: 'secrets', namespace: ns, why: 'memberlist comes from the controller' },
    { verb: 'get', resource: 'secrets', namespace: 'kube-system', name: 'x', why: 'Secrets outside MetalLB' },
    metallb('update', 'ipaddresspools', ns, 'pool status is the controller\'s', { subresource: 'status', name: 'default' }),
    metallb('create', 'servicel2statuses', other, 'only in its namespace'),
    { verb: 'update', resource: 'validatingwebhookconfigurations', group: 'admissionregistration.k8s.io', name: 'metallb-webhook-configuration', why: 'the controller\'s' },
    { verb: 'patch', resource: 'nodes', name: 'n', why: 'never writes nodes' },
  ];
}
