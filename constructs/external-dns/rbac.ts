import { Construct } from 'constructs';
import { RbacRule, RoleGrant } from '../common/rbac';

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

export interface ExternalDnsAccessProps {
  /** The ServiceAccount external-dns runs as. */
  readonly serviceAccountName: string;
  readonly namespace: string;
  readonly sources: readonly ExternalDnsSource[];
  /** Labels of the objects. */
  readonly labels: Record<string, string>;
}

/** A ClusterRole with exactly what external-dns reads for its sources, bound to its ServiceAccount. */
export class ExternalDnsAccess extends Construct {
  readonly roleName: string;

  constructor(scope: Construct, id: string, props: ExternalDnsAccessProps) {
    super(scope, id);
    this.roleName = `fleetnet-${props.namespace}-external-dns`;
    new RoleGrant(this, 'Grant', {
      name: this.roleName,
      rules: externalDnsRbacRules(props.sources),
      serviceAccount: { name: props.serviceAccountName, namespace: props.namespace },
      labels: props.labels,
    });
  }
}
