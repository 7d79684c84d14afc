import type { RbacRule } from '../common/rbac';
import type { GatewayResource } from './plugins';

const READ = ['list', 'watch'];

/** What the `kubernetes` plugin lists and watches (Services and their EndpointSlices, Namespaces). */
export const KUBERNETES_PLUGIN_RULES: readonly RbacRule[] = [
  { apiGroups: [''], resources: ['services', 'namespaces'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
];

/** What `k8s_gateway` lists and watches for the given kinds. */
export function gatewayRbacRules(kinds: readonly GatewayResource[]): RbacRule[] {
  const rules: RbacRule[] = [
    // At start it looks up which optional CRDs (Gateway API, DNSEndpoint) exist.
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
  ];
  if (kinds.includes('Service')) {
    rules.push({ apiGroups: [''], resources: ['services', 'namespaces'], verbs: READ });
    rules.push({ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ });
  }
  if (kinds.includes('Ingress')) rules.push({ apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ });
  const routes = kinds.filter((k) => k === 'HTTPRoute' || k === 'TLSRoute' || k === 'GRPCRoute').map((k) => `${k.toLowerCase()}s`);
  if (routes.length > 0) rules.push({ apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways', ...routes], verbs: READ });
  if (kinds.includes('DNSEndpoint')) rules.push({ apiGroups: ['externaldns.k8s.io'], resources: ['dnsendpoints'], verbs: READ });
  return rules;
}
