import { Construct } from 'constructs';
import type { Cluster } from '../../fleet/cluster';
import type { Tier } from '../../fleet/fleet';
import { fixedLoadBalancerIp } from '../metallb/load-balancer-ip';
import { PlatformNamespace } from '../namespace/namespace';
import { CoreDns } from './coredns';
import { gatewayCorefile } from './corefiles';
import type { GatewayResource } from './plugins';
import { gatewayRbacRules } from './rbac';

export interface ClusterGatewayProps {
  /** The workload cluster; its `dns.gatewayIP` becomes the Service's fixed MetalLB address. */
  readonly cluster: Cluster;
  /** The tier whose zone the gateway answers. */
  readonly tier: Tier;
  /**
   * Namespace to run in (created with Pod Security `restricted`).
   * @default 'dns-gateway'
   */
  readonly namespace?: string;
  /**
   * Kinds whose names it answers.
   * @default ['Ingress', 'Service']
   */
  readonly resources?: readonly GatewayResource[];
  /** @default 2 */
  readonly replicas?: number;
}

/**
 * The cluster gateway: CoreDNS with k8s_gateway answering the tier zone for this cluster's
 * LoadBalancer Services and Ingresses, on the cluster's fixed gateway IP.
 */
export class ClusterGateway extends Construct {
  /** Name of the gateway's Service, Deployment and ServiceAccount. */
  static readonly NAME = 'gateway';
  readonly coredns: CoreDns;

  constructor(scope: Construct, id: string, props: ClusterGatewayProps) {
    super(scope, id);
    const { cluster, tier } = props;
    if (!cluster.dns.gatewayIP) throw new Error(`cluster "${cluster.name}": a ClusterGateway needs dns.gatewayIP. Fix: give the workload cluster a fixed gateway IP inside one of its pools`);
    const namespace = new PlatformNamespace(this, 'namespace', { name: props.namespace ?? 'dns-gateway', podSecurity: 'restricted' });
    const resources = props.resources ?? ['Ingress', 'Service'];
    this.coredns = new CoreDns(this, 'coredns', {
      name: ClusterGateway.NAME,
      namespace: namespace.name,
      corefile: gatewayCorefile({ zone: tier.zone, apex: `${ClusterGateway.NAME}.${namespace.name}`, ttl: tier.ttl, resources }),
      service: { type: 'LoadBalancer', name: ClusterGateway.NAME, annotations: fixedLoadBalancerIp(cluster, cluster.dns.gatewayIP) },
      replicas: props.replicas,
      rbacRules: gatewayRbacRules(resources),
    });
  }
}
