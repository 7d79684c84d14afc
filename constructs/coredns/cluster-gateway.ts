import { Construct } from 'constructs';
import { throwIfIssues, type PropIssue } from '../common/prop-issues';
import { fixedLoadBalancerIp } from '../metallb/load-balancer-ip';
import { CoreDns } from './coredns';
import { gatewayCorefile } from './corefiles';
import { CoreDnsPodProps, dnsNamespace, DnsNamespaceProps, FixedAddressPoolProps, ipIssues, poolOwner, replicaIssues, tierZoneIssues } from './dns-service-props';
import type { GatewayResource } from './plugins';
import { gatewayRbacRules } from './rbac';

/** A cluster gateway a tier authority fans out to: built in this app, or only known by its address. */
export interface IGateway {
  /** The fixed address the gateway answers on (port 53). */
  readonly address: string;
}

/** TTL of the tier zone's answers when none is given. */
export const DEFAULT_TIER_TTL = 30;

export interface ClusterGatewayProps extends DnsNamespaceProps, FixedAddressPoolProps, CoreDnsPodProps {
  /** The zone the gateway answers, e.g. `prod.platform.example`. */
  readonly zone: string;
  /** The fixed MetalLB address of its Service. */
  readonly ip: string;
  /**
   * TTL of its answers, in seconds.
   * @default DEFAULT_TIER_TTL (30)
   */
  readonly ttl?: number;
  /**
   * Namespace to run in.
   * @default 'dns-gateway'
   */
  readonly namespace?: string;
  /**
   * Kinds whose names it answers.
   * @default ['Ingress', 'Service']
   */
  readonly resources?: readonly GatewayResource[];
}

/** What is wrong with ClusterGateway props; the fleet layer reports these for a workload cluster. */
export function validateClusterGatewayProps(props: ClusterGatewayProps): PropIssue[] {
  return [
    ...tierZoneIssues(props.zone, props.ttl),
    ...ipIssues('ip', props.ip, 'give the gateway a fixed address inside one of the MetalLB pools'),
    ...replicaIssues(props.replicas),
  ];
}

/**
 * The cluster gateway: CoreDNS with k8s_gateway answering the zone for this cluster's
 * LoadBalancer Services and Ingresses, on a fixed MetalLB address.
 *
 * ```ts
 * const gateway = new ClusterGateway(chart, 'gateway', { zone: 'prod.platform.example', ip: '10.10.10.2' });
 * ```
 */
export class ClusterGateway extends Construct implements IGateway {
  /** Name of the gateway's Service, Deployment and ServiceAccount. */
  static readonly NAME = 'gateway';

  /** A gateway built elsewhere (another cluster, another repo), known by its fixed address. */
  static fromAddress(address: string): IGateway {
    return { address };
  }

  readonly address: string;
  readonly coredns: CoreDns;

  constructor(scope: Construct, id: string, props: ClusterGatewayProps) {
    super(scope, id);
    throwIfIssues(`ClusterGateway "${this.node.path}"${props.clusterName ? ` (cluster "${props.clusterName}")` : ''}`, validateClusterGatewayProps(props));
    this.address = props.ip;
    const namespace = dnsNamespace(this, props.namespace ?? 'dns-gateway', props.createNamespace);
    const resources = props.resources ?? ['Ingress', 'Service'];
    this.coredns = new CoreDns(this, 'coredns', {
      name: ClusterGateway.NAME,
      namespace,
      corefile: gatewayCorefile({ zone: props.zone, apex: `${ClusterGateway.NAME}.${namespace}`, ttl: props.ttl ?? DEFAULT_TIER_TTL, resources }),
      service: { type: 'LoadBalancer', name: ClusterGateway.NAME, annotations: fixedLoadBalancerIp(poolOwner(this, props), props.ip) },
      replicas: props.replicas,
      image: props.image,
      resources: props.podResources,
      rbacRules: gatewayRbacRules(resources),
    });
  }
}
