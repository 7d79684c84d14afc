import type { Construct } from 'constructs';
import { ClusterGateway, ClusterGatewayProps } from '../constructs/coredns/cluster-gateway';
import type { Cluster } from '../fleet/cluster';
import type { Fleet } from '../fleet/fleet';
import { CoreDnsServiceMonitor } from '../constructs/monitoring/monitors';
import { FleetStack, FleetStackProps } from './fleet-stack';
import { coreDnsIngressPolicy } from './network-policies';

/** ClusterGateway props of a workload cluster: its tier's zone and TTL, its fixed gateway IP checked against its pools. */
export function clusterGatewayPropsOf(cluster: Cluster, fleet: Fleet): ClusterGatewayProps {
  if (!cluster.dns.gatewayIP) throw new Error(`cluster "${cluster.name}": a ClusterGateway needs dns.gatewayIP. Fix: give the workload cluster a fixed gateway IP inside one of its pools`);
  const tier = fleet.tierOf(cluster);
  return { zone: tier.zone, ttl: tier.ttl, ip: cluster.dns.gatewayIP, pools: cluster.loadBalancer.pools, clusterName: cluster.name };
}

/** The gateway of a workload cluster. */
export class ClusterGatewayStack extends FleetStack {
  static readonly stackName = 'cluster-gateway';
  static readonly syncWave = 40;

  constructor(scope: Construct, props: FleetStackProps) {
    super(scope, ClusterGatewayStack.stackName, props);
    const gateway = new ClusterGateway(this, 'gateway', clusterGatewayPropsOf(props.cluster, props.fleet));
    if (props.cluster.monitoring?.prometheusOperator) new CoreDnsServiceMonitor(this, 'monitor', { coredns: gateway.coredns });
    coreDnsIngressPolicy(this, props.cluster, gateway.coredns);
  }
}
