import type { RbacRule } from '../common/rbac';

/** What external-dns reads names from. `crd` is the DNSEndpoint custom resource (its CRD comes along). */
export type ExternalDnsSource = 'service' | 'ingress' | 'crd';

const READ = ['list', 'watch'];

/**
 * Exactly what external-dns v0.22 calls for each source (sigs.k8s.io/external-dns: source/service.go,
 * source/ingress.go, source/crd.go). With `--service-type-filter=LoadBalancer` the service source starts
 * only its Service informer: the EndpointSlice, Pod and Node informers are for ClusterIP/NodePort
 * Services. Informers list and watch; nothing is fetched with get. The crd source writes
 * `status.observedGeneration` of each DNSEndpoint it has read.
 */
export function externalDnsRbacRules(sources: readonly ExternalDnsSource[]): RbacRule[] {
  const rules: RbacRule[] = [];
  if (sources.includes('service')) rules.push({ apiGroups: [''], resources: ['services'], verbs: READ });
  if (sources.includes('ingress')) rules.push({ apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: READ });
  if (sources.includes('crd')) {
    rules.push({ apiGroups: ['externaldns.k8s.io'], resources: ['dnsendpoints'], verbs: READ });
    rules.push({ apiGroups: ['externaldns.k8s.io'], resources: ['dnsendpoints/status'], verbs: ['update'] });
  }
  return rules;
}
